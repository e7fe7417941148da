// Copying an export's images into R2 (`npm run import -- --copy-images`, the admin's checkbox): each image a post
// shows (its `<img>`s and Ghost's feature image) is fetched once and stored through lib/media, with the same type
// and size checks and the same content addresses as an upload; the post's markdown then points at /media/<key>.
// An image that cannot be fetched, or is not an image we store, stays at its old URL and is listed in the report.
import type { Deps } from '../context';
import { AppError } from '../errors';
import { MAX_IMAGE_BYTES } from '../images';
import { uploadImage } from '../media';
import type { AuthUser } from '../schemas/user';
import { checkWebhookAddress } from '../webhooks/address';

/** An image left at its old address, and why. */
export interface ImageLeft {
  item: string;
  url: string;
  reason: string;
}

export interface CopyOptions {
  /** Where relative addresses (and Ghost's `__GHOST_URL__`) point: the old blog. */
  oldSiteUrl?: string;
  /** At most this many fetches (an upload's request has a subrequest budget); the rest are left and listed. */
  limit?: number;
}

const REDIRECTS = [301, 302, 303, 307, 308];
const MAX_HOPS = 3;
const TIMEOUT_MS = 10_000;

/**
 * The bytes at `url`, or why not. Every hop of a redirect is checked like the first address: a public address
 * that redirects to the metadata service or the local network is refused there. The same guard as webhooks, so the
 * same dev flag (`ALLOW_LOCAL_WEBHOOKS`) lets `npm run dev` and the tests fetch from this machine.
 */
async function fetchImage(deps: Deps, url: string): Promise<Uint8Array | string> {
  let current = url;
  for (let hop = 0; hop <= MAX_HOPS; hop += 1) {
    const check = await checkWebhookAddress(deps.config, current);
    if (!check.ok) return `refused: ${check.reason}`;
    let response: Response;
    try {
      response = await fetch(current, {
        redirect: 'manual',
        headers: { accept: 'image/*' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return `unreachable (${error instanceof Error ? error.message : String(error)})`;
    }
    if (REDIRECTS.includes(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) return `answered ${response.status} without a Location`;
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      return `answered ${response.status}`;
    }
    return (await readCapped(response)) ?? `over ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  }
  return `more than ${MAX_HOPS} redirects`;
}

/** The body, or null past the image cap (without reading the rest). */
async function readCapped(response: Response): Promise<Uint8Array | null> {
  if (Number(response.headers.get('content-length') ?? 0) > MAX_IMAGE_BYTES) {
    await response.body?.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_IMAGE_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The absolute http(s) address an image's `src` names, or why there is none. */
function absoluteUrl(src: string, oldSiteUrl: string | undefined): string | { reason: string } {
  try {
    const url = oldSiteUrl ? new URL(src, oldSiteUrl) : new URL(src);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: `not an http(s) address` };
    return url.href;
  } catch {
    return { reason: 'a relative address: give the old blog’s address to copy it' };
  }
}

/**
 * Copies the images that `sourcesByItem` (item label -> image sources as the HTML writes them) name, each distinct
 * source once. Returns source -> its /media/ URL for those copied, and those left with their reasons.
 */
export async function copyImages(
  deps: Deps,
  uploader: AuthUser,
  sourcesByItem: Map<string, string[]>,
  { oldSiteUrl, limit = Infinity }: CopyOptions = {},
): Promise<{ copied: Map<string, string>; left: ImageLeft[] }> {
  const copied = new Map<string, string>();
  const failed = new Map<string, string>();
  const left: ImageLeft[] = [];
  let fetches = 0;
  for (const [item, sources] of sourcesByItem) {
    for (const src of sources) {
      if (copied.has(src) || src.startsWith('/media/')) continue; // copied already, or ours from the start
      let reason = failed.get(src);
      if (reason === undefined) {
        reason = await copyOne(src);
        if (reason !== undefined) failed.set(src, reason);
      }
      if (reason !== undefined) left.push({ item, url: src, reason });
    }
  }
  return { copied, left };

  async function copyOne(src: string): Promise<string | undefined> {
    const url = absoluteUrl(src, oldSiteUrl);
    if (typeof url !== 'string') return url.reason;
    if (fetches >= limit) return `over this import's limit of ${limit} image copies (the command line has none)`;
    fetches += 1;
    const bytes = await fetchImage(deps, url);
    if (typeof bytes === 'string') return bytes;
    try {
      const { media } = await uploadImage(deps, uploader, {
        bytes,
        name: new URL(url).pathname.split('/').pop() ?? '',
      });
      copied.set(src, media.url);
      return undefined;
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return error.message;
      throw error;
    }
  }
}

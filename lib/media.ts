// Uploaded images: stored in the R2 bucket under content addresses, recorded in Postgres with the posts that show
// them, served with immutable cache headers, and swept once nothing refers to them any more.
import type { Deps } from './context';
import * as db from './db/media';
import { AppError } from './errors';
import { detectImageType, imageKey, imageMarkdown, imageTypeOfKey, MAX_IMAGE_BYTES, mediaUrl } from './images';
import type { Media } from './schemas/media';
import type { AuthUser } from './schemas/user';

/** A content address never changes what it names, so browsers and CDNs may keep it for a year without asking. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Images unreferenced for this long are deleted: long enough to finish writing the post an upload was for. */
export const ORPHAN_GRACE_MS = 24 * 60 * 60 * 1000;

function bucketOf(deps: Deps): R2Bucket {
  const bucket = deps.config.MEDIA;
  if (!bucket) throw new AppError('unavailable', 'Image storage is not configured (no MEDIA bucket binding).');
  return bucket;
}

export interface Upload {
  bytes: Uint8Array;
  /** The client's file name: used only for the alt text of the suggested markdown, never for the type. */
  name: string;
}

export async function uploadImage(
  deps: Deps,
  uploader: AuthUser,
  { bytes, name }: Upload,
): Promise<{ media: Media; created: boolean }> {
  const bucket = bucketOf(deps);
  if (bytes.byteLength === 0) {
    throw new AppError('validation_failed', 'The file is empty.', {
      errors: [{ path: 'body.file', message: 'must not be empty' }],
    });
  }
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
  }
  const detected = await detectImageType(bytes);
  if (!detected) {
    throw new AppError(
      'unsupported_media_type',
      'Only JPEG, PNG, WebP and GIF images can be uploaded, and this file is none of them (its content decides, not its name).',
    );
  }
  const key = await imageKey(bytes, detected.extension);
  // The record comes first: an object without a record could never be swept, a record without an object is
  // re-uploaded by the next upload of the same bytes (the head check below).
  const { created } = await db.recordMedia(deps.sql, {
    key,
    contentType: detected.type,
    byteSize: bytes.byteLength,
    uploadedBy: uploader.id,
  });
  if (!(await bucket.head(key))) {
    await bucket.put(key, bytes, {
      httpMetadata: { contentType: detected.type, cacheControl: IMMUTABLE_CACHE_CONTROL },
    });
  }
  const alt = name.replace(/\.[^.]*$/, '').replace(/[-_]+/g, ' ');
  return {
    media: {
      key,
      url: mediaUrl(key),
      contentType: detected.type,
      size: bytes.byteLength,
      markdown: imageMarkdown(key, alt),
    },
    created,
  };
}

/**
 * The response for GET /media/:key: the object with its type and immutable caching, a 304 when the client's
 * ETag matches, or null when there is no such image.
 */
export async function serveImage(deps: Deps, key: string, requestHeaders: Headers): Promise<Response | null> {
  const type = imageTypeOfKey(key);
  if (!type) return null;
  const object = await bucketOf(deps).get(key, { onlyIf: requestHeaders });
  if (!object) return null;
  const headers = new Headers({
    // The key's extension was derived from the bytes at upload; it is the type, whatever the metadata says.
    'Content-Type': type,
    'Cache-Control': IMMUTABLE_CACHE_CONTROL,
    ETag: object.httpEtag,
  });
  if (!('body' in object)) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(object.size));
  return new Response(object.body, { status: 200, headers });
}

/** Deletes images no post or avatar has referred to for ORPHAN_GRACE_MS, a batch per call (the cron). */
export async function sweepOrphanMedia(deps: Deps, now = Date.now(), batch = 100): Promise<string[]> {
  const bucket = deps.config.MEDIA;
  if (!bucket) return [];
  const keys = await db.deleteOrphanMedia(deps.sql, new Date(now - ORPHAN_GRACE_MS), batch);
  if (keys.length > 0) await bucket.delete(keys);
  return keys;
}

// What the ceiling Worker (bench/ceiling-worker.ts) reads for a page: the same page the Worker serves, stored as the
// lean Worker the bounds are set against would store it (JSON: etag, type, body), under a key of its own.
import { Redis } from '@upstash/redis';

export function ceilingPageKey(namespace: string, slug: string): string {
  return `${namespace}:ceiling:page:${slug}`;
}

/** Stores the page the Worker answered (`response`'s body and headers) for the ceiling's `/raw/` route. */
export async function storeCeilingPage(
  upstash: { url: string; token: string },
  key: string,
  page: { etag: string | null; type: string | null; body: string },
): Promise<void> {
  const redis = new Redis({ url: upstash.url, token: upstash.token, retry: false, enableAutoPipelining: false });
  const value = JSON.stringify({
    etag: page.etag ?? '',
    type: page.type ?? 'text/html; charset=utf-8',
    body: page.body,
  });
  await redis.set(key, value);
}

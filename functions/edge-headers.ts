// What Workers Cache, the tier in front of the Worker, may keep. It keys a response by path and query only, never by
// Cookie or Authorization ("Requests that differ only in request headers that are not part of the cache key (for
// example, User-Agent, Accept-Language, Cookie, or Authorization) return the same cached response", cache keys page),
// and honours Vary. So a shared response says what it varies on: a page on Cookie (a signed-in reader's request
// carries the session cookie, misses the visitors' copy and reaches the Worker, whose answer is private), an API read
// on Authorization (a bearer's request likewise). Everything personal is `private, no-store`, which Workers Cache
// never stores (BYPASS).
import type { Context } from 'hono';
import type { AppEnv } from '../lib/env';

/**
 * At the edge: fresh for a minute, then served while the Worker refreshes it (UPDATING) for a day; writes purge it
 * sooner. Given in Cloudflare-CDN-Cache-Control, which Workers Cache obeys before Cache-Control and strips before
 * the visitor ("cloudflare-cdn-cache-control — Cloudflare-specific, highest precedence. Consumed by Cloudflare and
 * stripped from the response returned to clients", configuration page), with max-age rather than s-maxage, since
 * "s-maxage, must-revalidate, and proxy-revalidate disable stale-while-revalidate".
 */
export const EDGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=86400';
/** Browsers keep the copy but ask every time; the edge answers their If-None-Match with 304 from its stored ETag. */
export const BROWSER_CACHE_CONTROL = 'public, no-cache';
export const PERSONAL_CACHE_CONTROL = 'private, no-store';

/** Marks a response as the same for every anonymous visitor, named by `tags` for purging. */
export function shareAtEdge(c: Context<AppEnv>, tags: string[]): void {
  c.header('Cache-Control', BROWSER_CACHE_CONTROL);
  c.header('Cloudflare-CDN-Cache-Control', EDGE_CACHE_CONTROL);
  c.header('Cache-Tag', tags.join(','));
  if (c.req.path.startsWith('/api/')) c.header('Vary', 'Authorization', { append: true });
}

/** `private, no-store`, nothing for the edge; on a copy when the response's headers are immutable (Response.redirect). */
export function markPersonal(c: Context<AppEnv>): void {
  try {
    c.res.headers.set('Cache-Control', PERSONAL_CACHE_CONTROL);
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set('Cache-Control', PERSONAL_CACHE_CONTROL);
  }
  c.res.headers.delete('Cloudflare-CDN-Cache-Control');
  c.res.headers.delete('Cache-Tag');
}

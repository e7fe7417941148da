// One way for a route to serve a cacheable GET: the finished response (body, content type, ETag) is what the cache
// holds, so a hit is one Upstash read and no rendering; If-None-Match answers 304 on a hit or a miss alike.
// Pages are the same document for every visitor (the page-personalisation contract, lib/viewer.ts): they are
// rendered and stored as an anonymous visitor sees them, so a visitor's hit is sent exactly as stored. For a
// signed-in viewer the viewer middleware replaces the marked parts, drops the ETag and marks the response private.
// So nothing here depends on who is asking.
import type { Context, TypedResponse } from 'hono';
import type { Child } from 'hono/jsx';
import { readThrough, type CacheKey, type CacheResult, type StoredResponse } from '../lib/cache';
import { edgeTagsOf } from '../lib/cache-keys';
import type { AppEnv } from '../lib/env';
import { etagMatches, renderJson, storedResponse, type Rendered } from '../lib/http-cache';
import { markViewerSlots } from '../lib/viewer';
import { shareAtEdge } from './edge-headers';
import { fillSlot } from './pages/views/viewer-parts';

export { renderJson, type Rendered } from '../lib/http-cache';

/**
 * Serves `cacheKey` from the cache, rendering it on a miss; with no key (a deep page, a per-query result) it
 * renders every time but still answers conditional requests. Returns null, with X-Cache set, when `render`
 * found nothing: the route decides what a missing thing looks like.
 */
export async function cachedResponse(
  c: Context<AppEnv>,
  cacheKey: CacheKey<StoredResponse> | null,
  render: () => Promise<Rendered | null>,
): Promise<Response | null> {
  // null from render (nothing at this address) is remembered briefly, like a missing row.
  const load = async (): Promise<StoredResponse | null> => {
    const rendered = await render();
    return rendered && storedResponse(rendered);
  };
  const read: Promise<CacheResult<StoredResponse>> = cacheKey
    ? readThrough(c.get('deps').cache, cacheKey, load)
    : load().then((value) => ({ value, status: 'BYPASS' }));
  const { value, status } = await read;
  c.header('X-Cache', status);
  if (!value) return null;
  // The same for every anonymous visitor: Workers Cache may keep it, named as the Upstash entry is.
  if (cacheKey) shareAtEdge(c, edgeTagsOf(cacheKey));
  // Its viewer slots are already filled for visitors (renderHtml): the viewer middleware leaves a visitor's copy be.
  if (value.type.startsWith('text/html')) c.set('sharedPage', true);
  c.header('ETag', value.etag);
  // A reader who has just signed in still holds the visitors' copy and its ETag: theirs is never a 304.
  if (!c.get('personalPage') && etagMatches(c.req.header('If-None-Match'), value.etag)) return c.body(null, 304);
  c.header('Content-Type', value.type);
  return c.body(value.body, 200);
}

/**
 * `cachedResponse` for an API read: `load` returns the value to send as JSON. Typed as the route's 200 so the
 * OpenAPI handlers keep their checked response types (a 304 carries no body to check).
 */
export async function cachedJson<T>(
  c: Context<AppEnv>,
  cacheKey: CacheKey<StoredResponse> | null,
  load: () => Promise<T | null>,
): Promise<(Response & TypedResponse<T, 200, 'json'>) | null> {
  const response = await cachedResponse(c, cacheKey, async () => {
    const value = await load();
    return value === null ? null : renderJson(value);
  });
  return response as (Response & TypedResponse<T, 200, 'json'>) | null;
}

/**
 * A page at `path` rendered to its final text as a visitor sees it, for `cachedResponse`: viewer slots are filled
 * for a signed-out visitor and marked, so a signed-in viewer's parts can replace them.
 */
export async function renderHtml(page: Child, path: string): Promise<Rendered> {
  const html = String(await (page as { toString(): string | Promise<string> }).toString());
  return {
    body: markViewerSlots(html, (name, argument) => fillSlot(name, argument, { session: null, path })),
    type: 'text/html; charset=utf-8',
  };
}

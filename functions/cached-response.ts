// One way for a route to serve a cacheable GET: the finished response (body, content type, ETag) is what the cache
// holds, so a hit is one Upstash read and no rendering; If-None-Match answers 304 on a hit or a miss alike.
// Pages are the same document for every visitor (the page-personalisation contract): viewer-specific parts are
// placeholder comments filled after the handler returns, by the viewer middleware, which also drops the ETag and
// marks the response private for a signed-in viewer. So nothing here depends on who is asking.
import type { Context, TypedResponse } from 'hono';
import type { Child } from 'hono/jsx';
import { readThrough, type CacheKey, type CacheResult, type StoredResponse } from '../lib/cache';
import type { AppEnv } from '../lib/env';
import { etagMatches, renderJson, storedResponse, type Rendered } from '../lib/http-cache';

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
    ? readThrough(c.var.deps.cache, cacheKey, load)
    : load().then((value) => ({ value, status: 'BYPASS' }));
  const { value, status } = await read;
  c.header('X-Cache', status);
  if (!value) return null;
  c.header('ETag', value.etag);
  if (etagMatches(c.req.header('If-None-Match'), value.etag)) return c.body(null, 304);
  return c.body(value.body, 200, { 'Content-Type': value.type });
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

/** A page rendered to its final text, for `cachedResponse`. */
export async function renderHtml(page: Child): Promise<Rendered> {
  return {
    body: String(await (page as { toString(): string | Promise<string> }).toString()),
    type: 'text/html; charset=utf-8',
  };
}

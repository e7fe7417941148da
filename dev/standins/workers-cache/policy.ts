// Whether the Workers Cache stand-in may store a response, and for how long, following Cloudflare's pages on
// Workers Caching (developers.cloudflare.com/workers/cache/: configuration, debugging, limitations). Pure.
import { cacheDirectives, namesField } from './cache-control';

export interface Lifetimes {
  /** Served as a HIT for this long after it was stored (or last revalidated). */
  freshMs: number;
  /** After that, served as UPDATING while the Worker refreshes it in the background. */
  staleWhileRevalidateMs: number;
  /** After that, served as STALE when the refresh fails (Worker error or 5xx). */
  staleIfErrorMs: number;
}

export type Decision =
  | { store: true; lifetimes: Lifetimes; dropSetCookie: boolean }
  | { store: false; status: 'BYPASS' | 'DYNAMIC' | 'MISS'; reason: string };

/**
 * "If your Worker returns a response with no Cache-Control header (and no Expires header), Cloudflare applies RFC
 * 9111 heuristic freshness using the table below. Responses whose status is not in the table are not cached by
 * default." (configuration page)
 */
const HEURISTIC_TTL_SECONDS: Record<number, number> = {
  200: 7200,
  203: 7200,
  204: 7200,
  300: 1200,
  301: 1200,
  404: 180,
  405: 60,
  410: 180,
  414: 60,
  501: 60,
};

/** "520–526 (Cloudflare failsafe responses) … 206 Partial Content is not cached … will always result in MISS." */
const NEVER_STORED = (status: number) => status === 206 || (status >= 520 && status <= 526);

/**
 * "s-maxage, must-revalidate, and proxy-revalidate disable stale-while-revalidate … The same is true for
 * stale-if-error" (RFC 9111 §4.2.4); without them and without an explicit stale-if-error, Cloudflare serves stale on
 * Worker error "indefinitely (as long as the cached entry has not been purged)".
 */
export function decide(
  request: { method: string; authorization: boolean },
  response: { status: number; headers: Headers },
): Decision {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { store: false, status: 'BYPASS', reason: 'only GET and HEAD are cached' };
  }
  if (NEVER_STORED(response.status)) return { store: false, status: 'MISS', reason: `status ${response.status}` };
  const vary = response.headers.get('vary');
  if (vary && vary.split(',').some((name) => name.trim() === '*')) {
    return { store: false, status: 'BYPASS', reason: 'Vary: *' };
  }
  const directives = cacheDirectives(response.headers);
  if (directives?.has('no-store')) return { store: false, status: 'BYPASS', reason: 'no-store' };
  if (directives && directives.map.get('private') === null) {
    return { store: false, status: 'BYPASS', reason: 'private' };
  }
  // "The response includes a Set-Cookie header (unless Cache-Control includes private="set-cookie" or
  // no-cache="set-cookie", in which case the Set-Cookie is stripped from the cached copy)."
  const dropSetCookie =
    directives !== null &&
    (namesField(directives, 'private', 'set-cookie') || namesField(directives, 'no-cache', 'set-cookie'));
  if (response.headers.has('set-cookie') && !dropSetCookie) {
    return { store: false, status: 'BYPASS', reason: 'Set-Cookie' };
  }
  // "The request includes an Authorization header. The response is only stored if Cache-Control includes public,
  // must-revalidate, or s-maxage, per RFC 9111 §3.5."
  if (
    request.authorization &&
    !(directives?.has('public') || directives?.has('must-revalidate') || directives?.has('s-maxage'))
  ) {
    return { store: false, status: 'BYPASS', reason: 'Authorization without public' };
  }
  const forbidsStale =
    directives !== null &&
    (directives.has('s-maxage') || directives.has('must-revalidate') || directives.has('proxy-revalidate'));
  const freshSeconds = freshnessSeconds(response, directives);
  if (freshSeconds === null) {
    return { store: false, status: 'DYNAMIC', reason: `status ${response.status} has no default freshness` };
  }
  const swr = forbidsStale ? 0 : (directives?.seconds('stale-while-revalidate') ?? 0);
  const sie = forbidsStale ? 0 : (directives?.seconds('stale-if-error') ?? Number.POSITIVE_INFINITY);
  return {
    store: true,
    dropSetCookie,
    lifetimes: { freshMs: freshSeconds * 1000, staleWhileRevalidateMs: swr * 1000, staleIfErrorMs: sie * 1000 },
  };
}

/** Seconds of freshness; 0 for `no-cache` (stored, but every use revalidates); null when not cacheable at all. */
function freshnessSeconds(
  response: { status: number; headers: Headers },
  directives: ReturnType<typeof cacheDirectives>,
): number | null {
  if (directives) {
    // A qualified no-cache (`no-cache="set-cookie"`) only names fields to drop.
    if (directives.map.get('no-cache') === null) return 0;
    const shared = directives.seconds('s-maxage') ?? directives.seconds('max-age');
    if (shared !== undefined) return shared;
  }
  const expires = response.headers.get('expires');
  if (expires !== null) {
    const at = Date.parse(expires);
    const date = Date.parse(response.headers.get('date') ?? '') || Date.now();
    return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - date) / 1000));
  }
  // "If you set Cache-Control (or Expires) on the response, these defaults do not apply": a Cache-Control without
  // a lifetime (`public` alone) is stored but stale at once.
  if (directives) return 0;
  return HEURISTIC_TTL_SECONDS[response.status] ?? null;
}

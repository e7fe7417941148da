// The edge tier's purges: Workers Cache keeps shared responses in front of the Worker, and every cache invalidation
// (lib/cache.ts `invalidate`) purges the same names from it, after the response.
//
// Deployed, the Worker calls ctx.cache.purge(); under `wrangler dev` ctx.cache is undefined, so the dev launcher
// hands the Worker CACHE_PURGE_URL, the Workers Cache stand-in's channel, which takes the same options and gives the
// same answer. Cloudflare's limits shape the batching: "Workers Caching always uses the Free tier limits"
// (developers.cloudflare.com/workers/cache/limitations/), 100 operations per purge call and 5 calls a minute in
// bursts of 25 (developers.cloudflare.com/cache/how-to/purge-cache/); a rate-limited purge answers
// `success: false` (…/workers/cache/purge/#rate-limits), so a refused batch is retried after a pause.

export type PurgeEdge = (options: CachePurgeOptions) => Promise<CachePurgeResult>;

/** "Max operations per request: 100" (Free tier): tags and path prefixes together. */
export const TAGS_PER_PURGE = 100;
/** Pauses before each retry of a refused or failed batch; all within waitUntil's 30 seconds after the response. */
const RETRY_PAUSES_MS = [1_000, 4_000, 12_000];

/** ctx.cache.purge where the platform offers it, else the local stand-in's channel, else nothing to purge. */
export function edgePurger(
  executionCtx: { cache?: CacheContext } | undefined,
  purgeUrl: string | undefined,
): PurgeEdge | null {
  const platform = executionCtx?.cache;
  if (platform) return (options) => platform.purge(options);
  if (!purgeUrl) return null;
  return async (options) => {
    const response = await fetch(purgeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
    if (!response.ok) return { success: false, errors: [{ code: response.status, message: await response.text() }] };
    return response.json<CachePurgeResult>();
  };
}

export interface PurgeContext {
  waitUntil(promise: Promise<unknown>): void;
  log?: (message: string, error?: unknown) => void;
}

/** Purges `tags` after the response: in batches the platform accepts, each retried a few times if refused. */
export function purgeAfterResponse(purge: PurgeEdge, tags: string[], ctx: PurgeContext): void {
  const unique = [...new Set(tags)];
  for (let start = 0; start < unique.length; start += TAGS_PER_PURGE) {
    const batch = unique.slice(start, start + TAGS_PER_PURGE);
    ctx.waitUntil(purgeWithRetries(purge, batch, ctx));
  }
}

async function purgeWithRetries(purge: PurgeEdge, tags: string[], ctx: PurgeContext): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    let problem: unknown;
    try {
      const result = await purge({ tags });
      if (result.success) return true;
      problem = result.errors;
    } catch (error) {
      problem = error;
    }
    const pause = RETRY_PAUSES_MS[attempt];
    if (pause === undefined) {
      // The entries still expire within their shared lifetime (lib/edge-headers.ts).
      ctx.log?.(`edge purge of ${tags.join(',')} failed ${attempt + 1} times; entries expire on their own`, problem);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

// The cron's work: publish scheduled posts whose time has come, purge dead sessions and mailed tokens, then
// recompute the hottest cache keys so the first visitor after a deploy, a publish or an expiry gets a hit.
import { purgeExpiredSessions } from './auth/sessions';
import { deleteExpiredAccountTokens } from './db/account-tokens';
import { refreshEntry, type CacheKey, type StoredResponse } from './cache';
import { cacheKeys } from './cache-keys';
import type { Deps } from './context';
import { listTags } from './db/tags';
import { buildFeed, buildSitemap } from './feed-documents';
import { renderJson, storedResponse, type Rendered } from './http-cache';
import { publishDuePosts } from './posts';
import { flushViews } from './views';

export interface WarmReport {
  published: string[];
  purgedSessions: number;
  /** Mailed account tokens (reset, address links) that ended a day ago. */
  purgedAccountTokens: number;
  flushedViews: number;
  warmed: string[];
  ms: number;
}

/** A cache entry to recompute: its key and how to load it (pages come from functions/, which owns views). */
export interface WarmJob {
  key: CacheKey<unknown>;
  load: () => Promise<unknown>;
}

/** A job for a finished response: rendered, then stored with its ETag. */
export function responseJob(key: CacheKey<StoredResponse>, render: () => Promise<Rendered>): WarmJob {
  return { key: key as CacheKey<unknown>, load: async () => storedResponse(await render()) };
}

export async function runCron(deps: Deps, pages: WarmJob[] = [], now = new Date()): Promise<WarmReport> {
  const start = performance.now();
  // Publishing first, so the warmed pages already list what just went live; the purge is independent of both.
  const [published, purgedSessions, purgedAccountTokens, flushedViews] = await Promise.all([
    publishDuePosts(deps, now),
    purgeExpiredSessions(deps),
    deleteExpiredAccountTokens(deps.sql),
    flushViews(deps).catch((error) => {
      // A failed flush keeps its copy in Redis for the next run; it must not stop publishing or warming.
      deps.cache.log?.('view flush failed; retried next run', error);
      return 0;
    }),
  ]);
  const warmed = await warmCache(deps, pages);
  return {
    published,
    purgedSessions,
    purgedAccountTokens,
    flushedViews,
    warmed,
    ms: Math.round(performance.now() - start),
  };
}

/** Refreshes each hot key under its lease, in parallel; returns the keys actually stored. */
export async function warmCache(deps: Deps, pages: WarmJob[] = []): Promise<string[]> {
  const jobs: WarmJob[] = [
    ...pages,
    responseJob(cacheKeys.response('api-tags'), async () => renderJson({ items: await listTags(deps.sql) })),
    { key: cacheKeys.feed(), load: () => buildFeed(deps) },
    { key: cacheKeys.feed('atom'), load: () => buildFeed(deps, 'atom') },
    { key: cacheKeys.sitemap(), load: () => buildSitemap(deps) },
  ];
  const stored = await Promise.all(jobs.map(({ key, load }) => refreshEntry(deps.cache, key, load)));
  return jobs.filter((_, i) => stored[i]).map(({ key }) => key.key);
}

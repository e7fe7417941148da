// The cron's work: publish scheduled posts whose time has come, purge dead sessions, then recompute the hottest cache keys so the
// first visitor after a deploy, a publish or an expiry gets a hit.
import { purgeExpiredSessions } from './auth/sessions';
import { cacheKeys, refreshEntry, type CacheKey } from './cache';
import type { Deps } from './context';
import { listPublishedPosts } from './db/posts';
import { listTags } from './db/tags';
import { buildFeed, buildSitemap } from './feed-documents';
import { publishDuePosts } from './posts';
import { DEFAULT_PAGE_SIZE } from './schemas/common';
import { flushViews } from './views';

export interface WarmReport {
  published: string[];
  purgedSessions: number;
  flushedViews: number;
  warmed: string[];
  ms: number;
}

export async function runCron(deps: Deps, now = new Date()): Promise<WarmReport> {
  const start = performance.now();
  // Publishing first, so the warmed pages already list what just went live; the purge is independent of both.
  const [published, purgedSessions, flushedViews] = await Promise.all([
    publishDuePosts(deps, now),
    purgeExpiredSessions(deps),
    flushViews(deps).catch((error) => {
      // A failed flush keeps its copy in Redis for the next run; it must not stop publishing or warming.
      deps.cache.log?.('view flush failed; retried next run', error);
      return 0;
    }),
  ]);
  const warmed = await warmCache(deps);
  return { published, purgedSessions, flushedViews, warmed, ms: Math.round(performance.now() - start) };
}

/** Refreshes each hot key under its lease, in parallel; returns the keys actually stored. */
export async function warmCache(deps: Deps): Promise<string[]> {
  const jobs = [
    {
      key: cacheKeys.publishedPosts(DEFAULT_PAGE_SIZE),
      load: () => listPublishedPosts(deps.sql, { limit: DEFAULT_PAGE_SIZE }),
    },
    { key: cacheKeys.tags(), load: () => listTags(deps.sql) },
    { key: cacheKeys.feed(), load: () => buildFeed(deps) },
    { key: cacheKeys.sitemap(), load: () => buildSitemap(deps) },
  ] as const;
  const stored = await Promise.all(
    jobs.map(({ key, load }) => refreshEntry(deps.cache, key as CacheKey<unknown>, load)),
  );
  return jobs.filter((_, i) => stored[i]).map(({ key }) => key.key);
}

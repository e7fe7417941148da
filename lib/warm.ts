// The cron's work: publish scheduled posts whose time has come, purge dead sessions, then recompute the hottest cache keys so the
// first visitor after a deploy, a publish or an expiry gets a hit.
import { purgeExpiredSessions } from './auth/sessions';
import { cacheKeys, store } from './cache';
import type { Deps } from './context';
import { listPublishedPosts } from './db/posts';
import { listTags } from './db/tags';
import { buildFeed, buildSitemap } from './feed-documents';
import { publishDuePosts } from './posts';

export interface WarmReport {
  published: string[];
  purgedSessions: number;
  warmed: string[];
  ms: number;
}

/** The home page and GET /api/posts without parameters share this page size, and so this key. */
export const HOME_PAGE_SIZE = 10;

export async function runCron(deps: Deps, now = new Date()): Promise<WarmReport> {
  const start = performance.now();
  // Publishing first, so the warmed pages already list what just went live; the purge is independent of both.
  const [published, purgedSessions] = await Promise.all([publishDuePosts(deps, now), purgeExpiredSessions(deps)]);
  const warmed = await warmCache(deps);
  return { published, purgedSessions, warmed, ms: Math.round(performance.now() - start) };
}

export async function warmCache(deps: Deps): Promise<string[]> {
  const homeKey = cacheKeys.publishedPosts(HOME_PAGE_SIZE);
  const tagsKey = cacheKeys.tags();
  const feedKey = cacheKeys.feed();
  const sitemapKey = cacheKeys.sitemap();
  // The reads run in parallel, then the stores.
  const [home, tags, feed, sitemap] = await Promise.all([
    listPublishedPosts(deps.sql, { limit: HOME_PAGE_SIZE }),
    listTags(deps.sql),
    buildFeed(deps),
    buildSitemap(deps),
  ]);
  await Promise.all([
    store(deps.cache, homeKey, home),
    store(deps.cache, tagsKey, tags),
    store(deps.cache, feedKey, feed),
    store(deps.cache, sitemapKey, sitemap),
  ]);
  return [homeKey.key, tagsKey.key, feedKey.key, sitemapKey.key];
}

// Cache warming for the cron: recompute the hottest keys from the database and store them fresh.
import { cacheKeys, store } from './cache';
import type { Deps } from './context';
import { listPublishedPosts } from './db/posts';

export interface WarmReport {
  warmed: string[];
  ms: number;
}

const HOME_PAGE_SIZE = 10;

export async function warmCache(deps: Deps): Promise<WarmReport> {
  const start = performance.now();
  const page = await listPublishedPosts(deps.sql, { limit: HOME_PAGE_SIZE });
  const key = cacheKeys.publishedPosts(HOME_PAGE_SIZE);
  await store(deps.cache, key, page);
  return { warmed: [key.key], ms: Math.round(performance.now() - start) };
}

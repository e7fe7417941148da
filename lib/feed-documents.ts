// The feed and sitemap as visitors and crawlers get them: built from the database, served from the cache.
import { cacheKeys, readThrough, type CacheResult } from './cache';
import { timed, type Deps } from './context';
import { listPublishedPosts, listPublishedSlugs } from './db/posts';
import { renderRss, renderSitemap, type Site } from './feeds';

export const FEED_SIZE = 20;

const siteOf = (deps: Deps): Site => ({
  name: deps.config.SITE_NAME,
  url: deps.config.SITE_URL,
  description: deps.config.SITE_DESCRIPTION,
});

export async function buildFeed(deps: Deps): Promise<string> {
  const page = await timed(deps, 'db', () => listPublishedPosts(deps.sqlRead, { limit: FEED_SIZE }));
  return renderRss(siteOf(deps), page.items);
}

export async function buildSitemap(deps: Deps): Promise<string> {
  return renderSitemap(siteOf(deps), await timed(deps, 'db', () => listPublishedSlugs(deps.sqlRead)));
}

export function readFeed(deps: Deps): Promise<CacheResult<string>> {
  return readThrough(deps.cache, cacheKeys.feed(), () => buildFeed(deps));
}

export function readSitemap(deps: Deps): Promise<CacheResult<string>> {
  return readThrough(deps.cache, cacheKeys.sitemap(), () => buildSitemap(deps));
}

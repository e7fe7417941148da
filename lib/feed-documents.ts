// The feed and sitemap as visitors and crawlers get them: built from the database, served from the cache whole.
import type { Deps } from './context';
import { timed } from './context';
import { listPublishedPosts, listPublishedSlugs } from './db/posts';
import { renderRss, renderSitemap, type Site } from './feeds';
import type { Rendered } from './http-cache';

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

export async function renderFeedDocument(deps: Deps): Promise<Rendered> {
  return { body: await buildFeed(deps), type: 'application/rss+xml; charset=utf-8' };
}

export async function renderSitemapDocument(deps: Deps): Promise<Rendered> {
  return { body: await buildSitemap(deps), type: 'application/xml; charset=utf-8' };
}

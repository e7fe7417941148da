// Feeds and the sitemap as readers and crawlers get them: built from the database, cached as finished documents
// with their ETag and last change, so a conditional request is answered without rebuilding anything.
import { readThrough, type CacheResult } from './cache';
import { cacheKeys } from './cache-keys';
import { timed, type Deps } from './context';
import { readBatch } from './db/batch';
import { feedPart, listSitemapRows, type FeedScope } from './db/posts';
import { settingsPart } from './settings';
import type { SiteSettings } from './settings/schema';
import { etagOf } from './http-cache';
import { latestUpdate, renderAtom, renderRss, renderSitemap, type FeedChannel, type Site } from './feeds';

export const FEED_SIZE = 20;

export type FeedFormat = 'rss' | 'atom';
export type { FeedScope };

export interface XmlDocument {
  body: string;
  /** A strong validator of the body (quoted), as every cached response has. */
  etag: string;
  /** The newest change the document reflects (ISO 8601), for Last-Modified. */
  updated: string;
}

const siteOf = (deps: Deps, settings: Pick<SiteSettings, 'title' | 'description'>): Site => ({
  name: settings.title,
  url: deps.config.SITE_URL,
  description: settings.description,
});

async function documentOf(body: string, updated: string): Promise<XmlDocument> {
  return { body, etag: await etagOf(body), updated };
}

function channelFor(site: Site, scope: FeedScope, format: FeedFormat, subject: string | undefined): FeedChannel {
  const selfFile = format === 'atom' ? '/atom.xml' : '/feed.xml';
  if (scope.kind === 'tag')
    return {
      title: `#${subject} · ${site.name}`,
      description: `Posts tagged #${subject} on ${site.name}.`,
      pagePath: `/tags/${scope.slug}`,
      selfPath: `/tags/${scope.slug}/feed.xml`,
    };
  if (scope.kind === 'author') {
    const path = `/authors/${encodeURIComponent(scope.username)}`;
    return {
      title: `${subject} · ${site.name}`,
      description: `Posts by ${subject} on ${site.name}.`,
      pagePath: path,
      selfPath: `${path}/feed.xml`,
    };
  }
  return { title: site.name, description: site.description, pagePath: '/', selfPath: selfFile };
}

/** Null when the feed's tag or author is not public. */
export async function buildFeed(
  deps: Deps,
  format: FeedFormat = 'rss',
  scope: FeedScope = { kind: 'site' },
): Promise<XmlDocument | null> {
  // The site's title and description come from the settings, read in the same round trip as the posts.
  const [settings, source] = await timed(deps, 'db', () =>
    readBatch(deps.sqlRead, settingsPart(deps), feedPart(deps.sql, scope, FEED_SIZE)),
  );
  if (!source) return null;
  const site = siteOf(deps, settings);
  const channel = channelFor(site, scope, format, source.subject?.name);
  const render = format === 'atom' ? renderAtom : renderRss;
  return documentOf(render(site, channel, source.posts), latestUpdate(source.posts));
}

export async function buildSitemap(deps: Deps): Promise<XmlDocument> {
  const rows = await timed(deps, 'db', () => listSitemapRows(deps.sqlRead));
  const entries = [
    ...rows.posts.map((p) => ({ path: `/posts/${p.slug}`, lastmod: p.updatedAt })),
    ...rows.pages.map((p) => ({ path: `/${p.slug}`, lastmod: p.updatedAt })),
    ...rows.tags.map((t) => ({ path: `/tags/${t.slug}`, lastmod: t.updatedAt })),
    ...rows.authors.map((a) => ({ path: `/authors/${encodeURIComponent(a.username)}`, lastmod: a.updatedAt })),
  ];
  // Only the site's address goes into a sitemap: no settings to read.
  return documentOf(renderSitemap(siteOf(deps, { title: '', description: '' }), entries), latestUpdate([...rows.posts, ...rows.pages]));
}

export function readFeed(
  deps: Deps,
  format: FeedFormat = 'rss',
  scope: FeedScope = { kind: 'site' },
): Promise<CacheResult<XmlDocument>> {
  return readThrough(deps.cache, cacheKeys.feed(format, scope), () => buildFeed(deps, format, scope));
}

export function readSitemap(deps: Deps): Promise<CacheResult<XmlDocument>> {
  return readThrough(deps.cache, cacheKeys.sitemap(), () => buildSitemap(deps));
}

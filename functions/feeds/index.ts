// Feeds (RSS and Atom for the site, Atom per tag and per author), the sitemap and robots.txt: finished documents
// from the cache, answered with 304 when the reader's copy is current.
import { Hono, type Context } from 'hono';
import { httpDate, isNotModified } from '../../lib/conditional';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { readFeed, readSitemap, type XmlDocument } from '../../lib/feed-documents';
import type { CacheKey, CacheResult } from '../../lib/cache';
import { cacheKeys, edgeNames, edgeTagsOf } from '../../lib/cache-keys';
import { shareAtEdge } from '../edge-headers';
import { Slug, Username } from '../../lib/schemas/reader';

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const XML = 'application/xml; charset=utf-8';

function xmlResponse(
  c: Context<AppEnv>,
  { value, status }: CacheResult<XmlDocument>,
  contentType: string,
  key: CacheKey<XmlDocument>,
) {
  if (!value) throw new AppError('not_found', 'There is no feed at this address.');
  c.header('X-Cache', status);
  shareAtEdge(c, edgeTagsOf(key));
  c.header('ETag', value.etag);
  c.header('Last-Modified', httpDate(value.updated));
  if (isNotModified(c.req.raw.headers, value)) return c.body(null, 304);
  return c.body(value.body, 200, { 'Content-Type': contentType });
}

export const feeds = new Hono<AppEnv>()
  .get('/feed.xml', async (c) => xmlResponse(c, await readFeed(c.get('deps'), 'rss'), RSS, cacheKeys.feed('rss')))
  .get('/atom.xml', async (c) => xmlResponse(c, await readFeed(c.get('deps'), 'atom'), ATOM, cacheKeys.feed('atom')))
  .get('/tags/:slug/feed.xml', async (c) => {
    const slug = Slug.safeParse(c.req.param('slug'));
    if (!slug.success) throw new AppError('not_found', 'There is no feed at this address.');
    const scope = { kind: 'tag', slug: slug.data } as const;
    return xmlResponse(c, await readFeed(c.get('deps'), 'atom', scope), ATOM, cacheKeys.feed('atom', scope));
  })
  .get('/authors/:username/feed.xml', async (c) => {
    const username = Username.safeParse(c.req.param('username'));
    if (!username.success) throw new AppError('not_found', 'There is no feed at this address.');
    const scope = { kind: 'author', username: username.data } as const;
    return xmlResponse(c, await readFeed(c.get('deps'), 'atom', scope), ATOM, cacheKeys.feed('atom', scope));
  })
  .get('/sitemap.xml', async (c) => xmlResponse(c, await readSitemap(c.get('deps')), XML, cacheKeys.sitemap()))
  .get('/robots.txt', (c) => {
    shareAtEdge(c, [edgeNames.site]);
    return c.text(
      `User-agent: *\nDisallow: /api/\nSitemap: ${c.get('deps').config.SITE_URL.replace(/\/$/, '')}/sitemap.xml\n`,
    );
  });

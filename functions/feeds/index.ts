// GET /feed.xml, /sitemap.xml and /robots.txt: for feed readers and crawlers, served from the cache.
import { Hono } from 'hono';
import { cacheKeys } from '../../lib/cache';
import type { AppEnv } from '../../lib/env';
import { renderFeedDocument, renderSitemapDocument } from '../../lib/feed-documents';
import { cachedResponse } from '../cached-response';

export const feeds = new Hono<AppEnv>()
  .get('/feed.xml', async (c) => {
    const response = await cachedResponse(c, cacheKeys.response('feed'), () => renderFeedDocument(c.var.deps));
    return response ?? c.notFound();
  })
  .get('/sitemap.xml', async (c) => {
    const response = await cachedResponse(c, cacheKeys.response('sitemap'), () => renderSitemapDocument(c.var.deps));
    return response ?? c.notFound();
  })
  .get('/robots.txt', (c) =>
    c.text(`User-agent: *\nDisallow: /api/\nSitemap: ${c.var.deps.config.SITE_URL.replace(/\/$/, '')}/sitemap.xml\n`),
  );

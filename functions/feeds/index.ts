// GET /feed.xml, /sitemap.xml and /robots.txt: for feed readers and crawlers, served from the cache.
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { readFeed, readSitemap } from '../../lib/feed-documents';

export const feeds = new Hono<AppEnv>()
  .get('/feed.xml', async (c) => {
    const { value, status } = await readFeed(c.var.deps);
    c.header('X-Cache', status);
    return c.body(value ?? '', 200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
  })
  .get('/sitemap.xml', async (c) => {
    const { value, status } = await readSitemap(c.var.deps);
    c.header('X-Cache', status);
    return c.body(value ?? '', 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  })
  .get('/robots.txt', (c) =>
    c.text(`User-agent: *\nDisallow: /api/\nSitemap: ${c.var.deps.config.SITE_URL.replace(/\/$/, '')}/sitemap.xml\n`),
  );

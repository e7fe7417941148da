// `/{slug}`: published pages. Mounted after every other route (functions/index.ts), so a page never hides one; the
// pages API refuses the slugs those routes use (lib/pages/reserved-slugs.ts) so none is written in vain.
import { Hono } from 'hono';
import { cacheKeys } from '../../lib/cache-keys';
import type { AppEnv } from '../../lib/env';
import { loadPublishedPageView } from '../../lib/pages/pages';
import { SlugParams } from '../../lib/schemas/reader';
import { cachedResponse, renderHtml } from '../cached-response';
import { StaticPage } from './views/static-page';

export const staticPages = new Hono<AppEnv>().get('/:slug', async (c, next) => {
  const params = SlugParams.safeParse(c.req.param());
  // Not a slug (`openapi.json`, `favicon.ico`): some other route's, or nothing's.
  if (!params.success) return next();
  const deps = c.get('deps');
  const { slug } = params.data;
  // Cached like a post page: one Upstash read on a hit; a save of the page drops it (lib/cache.ts postEntries).
  const response = await cachedResponse(c, cacheKeys.response('page', slug), async () => {
    const found = await loadPublishedPageView(deps, slug);
    return (
      found &&
      renderHtml(<StaticPage page={found.page} settings={found.settings} siteUrl={deps.config.SITE_URL} />, c.req.path)
    );
  });
  // No page here: the imported posts' old addresses are looked up next (functions/redirects.ts), then the 404 page.
  return response ?? next();
});

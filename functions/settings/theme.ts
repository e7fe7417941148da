// GET /theme.css?accent=rrggbb: the settings' accent colour as a stylesheet (lib/settings/theme.ts). No I/O: the
// colour is in the address, so the answer never changes and is cached for good.
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { IMMUTABLE_CACHE_CONTROL } from '../../lib/media';
import { themeStylesheet } from '../../lib/settings/theme';

export const themeStylesheetRoute = new Hono<AppEnv>().get('/theme.css', (c) => {
  const css = themeStylesheet(c.req.query('accent'));
  if (!css) throw new AppError('not_found', 'There is no such stylesheet.');
  return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': IMMUTABLE_CACHE_CONTROL });
});

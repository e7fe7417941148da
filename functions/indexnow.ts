// /{key}.txt: the IndexNow key file, which proves to search engines that this site owns the key (lib/indexnow.ts).
// Only the configured key's file exists; every other .txt is someone else's 404.
import { Hono } from 'hono';
import type { AppEnv } from '../lib/env';
import { indexNowKeyFile } from '../lib/indexnow';

export const indexNowKey = new Hono<AppEnv>().get('/:file{[^/]+\\.txt}', (c, next) => {
  const key = indexNowKeyFile(c.var.deps.config, c.req.param('file'));
  if (key === null) return next();
  c.header('Cache-Control', 'public, max-age=3600');
  return c.text(key);
});

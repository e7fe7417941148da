// GET /media/:key: uploaded images, as readers' pages show them. Apart from the upload API (./api.ts), which loads
// only on first use (functions/api-routes.ts).
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { serveImage } from '../../lib/media';

export const mediaFiles = new Hono<AppEnv>().get('/media/:key', async (c) => {
  const response = await serveImage(c.var.deps, c.req.param('key'), c.req.raw.headers);
  if (!response) throw new AppError('not_found', 'There is no such image.');
  return response;
});

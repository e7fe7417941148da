// Imported posts' old addresses (lib/redirects.ts): `/?p=42` before the home page answers it, every other old path
// after all routes have passed on it.
import { Hono } from 'hono';
import type { AppEnv } from '../lib/env';
import { findFormerAddress } from '../lib/redirects';

/** WordPress's `/?p=42`: mounted before the home page, which would otherwise answer it with the first page. */
export const legacyQueryRedirect = new Hono<AppEnv>().get('/', async (c, next) => {
  const id = c.req.query('p');
  if (id === undefined) return next();
  const target = await findFormerAddress(c.var.deps, '/', id);
  return target ? c.redirect(target, 301) : next();
});

/** Any other old path: mounted after every other route, so it only runs where the answer would be 404. */
export const legacyPathRedirects = new Hono<AppEnv>().get('*', async (c, next) => {
  const target = await findFormerAddress(c.var.deps, c.req.path);
  return target ? c.redirect(target, 301) : next();
});

// /setup: the one-time first-run form on a deployment with no admin (lib/setup.ts); a 404 once there is one. The
// form post passes the Origin check every form does (formCsrf): no session exists yet to tie a token to.
import { Hono } from 'hono';
import { startWebSession } from '../../lib/auth/web-session';
import type { AppEnv } from '../../lib/env';
import { AppError, fieldErrorsFromZod, fromDatabaseError } from '../../lib/errors';
import { readSettings } from '../../lib/settings';
import { setUpSite, SetupBody, siteHasOwner } from '../../lib/setup';
import { clientInfo } from '../auth/client';
import { setSessionCookie } from '../auth/session';
import { formTextFields } from '../form';
import { AlreadySetUpPage, SetupPage } from './view';

const notHere = () => new AppError('not_found', 'Nothing lives at /setup.');

export const setupPages = new Hono<AppEnv>()
  .get('/setup', async (c) => {
    const deps = c.var.deps;
    if (await siteHasOwner(deps)) throw notHere();
    c.header('Cache-Control', 'no-store');
    return c.html(<SetupPage site={await readSettings(deps)} />);
  })
  .post('/setup', async (c) => {
    const deps = c.var.deps;
    if (await siteHasOwner(deps)) throw notHere();
    c.header('Cache-Control', 'no-store');
    const { password: _password, ...values } = await formTextFields(c);
    const site = await readSettings(deps);
    const parsed = SetupBody.safeParse({ ...values, password: _password });
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(fieldErrorsFromZod(parsed.error.issues).map((e) => [e.path, e.message]));
      return c.html(<SetupPage site={site} state={{ values, fieldErrors }} />, 422);
    }
    let owner;
    try {
      owner = await setUpSite(deps, parsed.data, clientInfo(c));
    } catch (error) {
      const refused = error instanceof AppError ? error : fromDatabaseError(error);
      if (!refused || refused.code === 'internal') throw error;
      for (const [name, value] of Object.entries(refused.extra.headers ?? {})) c.header(name, value);
      return c.html(<SetupPage site={site} state={{ values, error: refused.message }} />, refused.status as 409);
    }
    if (!owner) return c.html(<AlreadySetUpPage site={site} />, 409);
    const session = await startWebSession(deps, owner.id, clientInfo(c).userAgent);
    setSessionCookie(c, session.token, session.expiresAt);
    return c.redirect('/admin', 303);
  });

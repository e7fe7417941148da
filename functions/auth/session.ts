// Browser sign-in for HTML pages: the session cookie, CSRF protection of form posts, and the per-request filling
// of viewer slots in shared (cacheable) pages. The JSON API does not read this cookie: it takes bearer tokens only,
// which browsers never attach on their own, so the API needs no CSRF defence.
//
// To require a signed-in user with a minimum role on a page route (e.g. /admin):
//
//   app.get('/admin', requireSignedIn('editor'), (c) => {
//     const { user, csrfToken } = await signedInSession(c); // never null behind requireSignedIn
//     return c.html(<AdminPage user={user} csrfToken={csrfToken} />);
//   });
//   app.post('/admin/posts', requireSignedIn('editor'), async (c) => { ... });
//
// Without a session, a GET redirects (303) to /login?next=<the page> and other methods answer 401; with a lower
// role the answer is a 403 page. On POST/PUT/PATCH/DELETE requireSignedIn also checks the form's `_csrf` field
// against the session (render it with <CsrfField token={csrfToken} />); the Origin check (hono/csrf) runs
// before every form POST outside /api anyway. Responses of signed-in requests are `private, no-store`.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { hasRole } from '../../lib/auth/roles';
import { csrfTokenMatches, readWebSession, type WebSession } from '../../lib/auth/web-session';
import type { AppEnv } from '../../lib/env';
import { SUBSCRIBER_UNSUBSCRIBE_PATH } from '../../lib/newsletter/unsubscribe';
import { AppError } from '../../lib/errors';
import type { Role } from '../../lib/schemas/user';
import { fillViewerSlots, hasViewerSlots } from '../../lib/viewer';
import { parseFormBody } from '../form';
import { markPersonal } from '../edge-headers';
import { fillSlot } from '../pages/views/viewer-parts';

export const SESSION_COOKIE = 'lembas_session';

function secure(c: Context<AppEnv>): boolean {
  // Plain-http local development cannot store Secure cookies; everywhere else they are Secure.
  return c.var.deps.config.SECURE_COOKIES !== 'false';
}

/**
 * HttpOnly: page scripts cannot read it. SameSite=Lax: other sites' links still arrive signed in (a reader
 * following a link to a post sees their name), but other sites' form posts and fetches do not carry it.
 */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secure(c),
    sameSite: 'Lax',
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, secure: secure(c), sameSite: 'Lax', path: '/' });
}

export function sessionCookieOf(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** The post a page address shows, whose reactions the session lookup fetches alongside. */
function postSlugOf(path: string): string | undefined {
  return /^\/posts\/([a-z0-9-]{1,120})$/.exec(path)?.[1];
}

/**
 * Form posts that come from outside any page of ours by design, and carry their own proof: a mail client's one-click
 * unsubscribe (RFC 8058) POSTs with no Origin and no cookie, and its signed URL is what authorises it.
 */
const SIGNED_LINK_POSTS = new Set(['/unsubscribe', SUBSCRIBER_UNSUBSCRIBE_PATH]);

/** Refuses form posts from other origins with 403 before any handler runs (Origin / Sec-Fetch-Site). */
export function formCsrf(): MiddlewareHandler<AppEnv> {
  const check = csrf();
  return function formCsrf(c, next) {
    return SIGNED_LINK_POSTS.has(c.req.path) ? next() : check(c, next);
  };
}

const NO_SESSION: Promise<WebSession | null> = Promise.resolve(null);

/**
 * Starts the session lookup before the page handler runs (so it overlaps the page's cache read), then fills the
 * page's viewer slots. A visitor's cached page is sent as stored (it is already filled for visitors); a signed-in
 * response is `private, no-store` and never leaves the viewer's browser cache.
 */
export function viewerSession(): MiddlewareHandler<AppEnv> {
  return async function viewerSession(c, next) {
    // Before the handler, so it joins the response's headers as they are built.
    c.header('Vary', 'Cookie', { append: true });
    const token = sessionCookieOf(c);
    if (!token) {
      c.set('pendingSession', NO_SESSION);
      await next();
      if (!c.get('sharedPage')) await fillSlots(c, null);
      return;
    }
    c.set('personalPage', true);
    const pending = readWebSession(c.get('deps'), token, postSlugOf(c.req.path));
    // A failed lookup (database down) shows the page as to a visitor; routes that need the session see the error.
    const forPage = pending.catch((error) => {
      c.get('deps').cache.log?.('session lookup failed; page shown signed out', error);
      return null;
    });
    c.set('pendingSession', pending);
    await next();
    const session = await forPage;
    if (session) {
      markPersonal(c);
      c.res.headers.delete('ETag');
    }
    if (session || !c.get('sharedPage')) await fillSlots(c, session);
  };
}

/** Fills (or, in a cached page, replaces) the viewer slots of an HTML response for this viewer. */
async function fillSlots(c: Context<AppEnv>, session: WebSession | null): Promise<void> {
  const type = c.res.headers.get('Content-Type') ?? '';
  if (!type.startsWith('text/html') || c.res.status === 304 || !c.res.body) return;
  const html = await c.res.text();
  const filled = hasViewerSlots(html)
    ? fillViewerSlots(html, (name, argument) => fillSlot(name, argument, { session, path: c.req.path }))
    : html;
  c.res = new Response(filled, { status: c.res.status, headers: c.res.headers });
}

/** See the header comment: a signed-in user with at least `minimum`, and a valid `_csrf` on state changes. */
export function requireSignedIn(minimum: Role = 'reader'): MiddlewareHandler<AppEnv> {
  return async function requireSignedIn(c, next) {
    const session = await c.var.pendingSession;
    if (!session) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const here = new URL(c.req.url);
        return c.redirect(`/login?next=${encodeURIComponent(here.pathname + here.search)}`, 303);
      }
      throw new AppError('unauthorized', 'Your session has ended. Sign in again, then retry.');
    }
    if (!hasRole(session.user, minimum)) throw new AppError('forbidden', `This needs the ${minimum} role or higher.`);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const form = await parseFormBody(c);
      if (!csrfTokenMatches(session.csrfToken, form._csrf)) {
        throw new AppError(
          'forbidden',
          'This form has expired or did not come from this site. Reload it and try again.',
        );
      }
    }
    c.set('user', session.user);
    await next();
  };
}

/** The session on a route behind requireSignedIn(): never null there. */
export async function signedInSession(c: Context<AppEnv>): Promise<WebSession> {
  const session = await c.var.pendingSession;
  if (!session) throw new AppError('unauthorized', 'Sign in to do this.');
  return session;
}

// Browser sessions: an opaque token in an HttpOnly cookie, checked against the sessions table on each signed-in
// request, so signing out (or an admin disabling the account) ends it at once on the server, not at token expiry.
//
// Forms that change something also carry a CSRF token derived from the session (an HMAC of its token hash under
// JWT_SECRET): nothing to store, different for every session, and useless to another site, which can neither read
// our pages nor compute the HMAC. It backs up the Origin check (hono/csrf), which is the first line of defence.
import { timed, type Deps } from '../context';
import { hmacBase64Url, textsMatch } from '../digest';
import { getCookieSessionUser, revokeSession } from '../db/sessions';
import type { AuthUser } from '../schemas/user';
import { createSession, hashRefreshToken, SESSION_IDLE_SECONDS } from './sessions';

/** A browser session is touched (last_used_at) at most this often. */
const TOUCH_EVERY_SECONDS = 3_600;

export interface WebSession {
  user: AuthUser;
  /** The value forms must send back as `_csrf`. */
  csrfToken: string;
  /** The viewer's reactions on the post asked about (readWebSession's `postSlug`), looked up in the same query. */
  reactions: string[];
  /** Whether the viewer's address gets new posts by email (lib/newsletter), for the footer's subscribe button. */
  subscription: 'none' | 'pending' | 'confirmed';
}

export interface IssuedWebSession {
  token: string;
  expiresAt: string;
}

/** Signs a user in in this browser: a cookie-kind session row (never rotated, revocable). */
export async function startWebSession(deps: Deps, userId: number, userAgent: string | null): Promise<IssuedWebSession> {
  const { refreshToken, expiresAt } = await createSession(deps, userId, userAgent, 'cookie');
  return { token: refreshToken, expiresAt };
}

/** The live session behind a cookie value, or null; one database round trip. */
export async function readWebSession(deps: Deps, token: string, postSlug?: string): Promise<WebSession | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const tokenHash = await hashRefreshToken(token);
  const found = await timed(deps, 'session', () =>
    getCookieSessionUser(deps.sql, {
      tokenHash,
      idleSeconds: SESSION_IDLE_SECONDS,
      touchEverySeconds: TOUCH_EVERY_SECONDS,
      postSlug,
    }),
  );
  if (!found) return null;
  const { user, reactions, subscription } = found;
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      emailVerified: user.emailVerifiedAt !== null,
    },
    csrfToken: await csrfTokenFor(deps.config.JWT_SECRET, tokenHash),
    reactions,
    subscription,
  };
}

/** Ends the session behind a cookie value; unknown values are ignored. */
export async function endWebSession(deps: Deps, token: string): Promise<void> {
  await timed(deps, 'db', async () => revokeSession(deps.sql, await hashRefreshToken(token)));
}

function csrfTokenFor(secret: string, tokenHash: string): Promise<string> {
  return hmacBase64Url(secret, `csrf:${tokenHash}`);
}

/** Constant-time comparison, so the time a wrong token takes to refuse says nothing about the right one. */
export function csrfTokenMatches(expected: string, presented: unknown): boolean {
  return typeof presented === 'string' && textsMatch(expected, presented);
}

/** Pure: a `next` parameter is followed only to a path on this site, never to `//evil.example` or a URL. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return '/';
  return next.slice(0, 500);
}

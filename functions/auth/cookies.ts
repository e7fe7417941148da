// The refresh-token cookie: HttpOnly so page scripts cannot read it, SameSite=Strict so other sites cannot make the
// browser send it (no CSRF on /refresh or /logout), and scoped to /api/auth so no other request carries it.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../lib/env';

export const REFRESH_COOKIE = 'lembas_refresh';
const COOKIE_PATH = '/api/auth';

function secure(c: Context<AppEnv>): boolean {
  // Plain-http local development cannot store Secure cookies; everywhere else they are Secure.
  return c.var.deps.config.SECURE_COOKIES !== 'false';
}

export function setRefreshCookie(c: Context<AppEnv>, refreshToken: string, expiresAt: string): void {
  setCookie(c, REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    secure: secure(c),
    sameSite: 'Strict',
    path: COOKIE_PATH,
    expires: new Date(expiresAt),
  });
}

export function clearRefreshCookie(c: Context<AppEnv>): void {
  deleteCookie(c, REFRESH_COOKIE, { httpOnly: true, secure: secure(c), sameSite: 'Strict', path: COOKIE_PATH });
}

/** The token from the body when one was sent, else from the cookie. */
export function presentedRefreshToken(c: Context<AppEnv>, fromBody: string | undefined): string | undefined {
  return fromBody ?? getCookie(c, REFRESH_COOKIE);
}

// Authentication and role checks for routes. Tokens come as `Authorization: Bearer`; the role in the token is
// not trusted alone: the live user row (through the cache) decides, so disabling or demoting takes effect at once.
import type { Context, MiddlewareHandler } from 'hono';
import { hasRole } from '../../lib/auth/roles';
import { verifyAccessToken } from '../../lib/auth/tokens';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import type { AuthUser, Role } from '../../lib/schemas/user';
import { readActiveUser } from '../../lib/users';

const invalidToken = () =>
  new AppError('unauthorized', 'The access token is invalid or expired.', {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/** Sets `c.var.user` when a valid token is presented; a present but invalid token is a 401, never ignored. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('Authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw invalidToken();
      const claims = await verifyAccessToken(c.get('deps').config.JWT_SECRET, match[1]);
      if (!claims) throw invalidToken();
      const user = await readActiveUser(c.get('deps'), claims.userId);
      if (!user) throw invalidToken();
      c.set('user', user);
    }
    await next();
  };
}

/** Requires a signed-in user with at least the given role. */
export function requireRole(minimum: Role = 'reader'): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    const user = c.get('user');
    if (!user) {
      throw new AppError('unauthorized', 'Sign in to do this.', { headers: { 'WWW-Authenticate': 'Bearer' } });
    }
    if (!hasRole(user, minimum)) throw new AppError('forbidden', `This needs the ${minimum} role or higher.`);
    await next();
  };
}

/** The caller on a route behind requireRole(): never null there, so handlers need no check of their own. */
export function signedInUser(c: Context<AppEnv>): AuthUser {
  const user = c.get('user');
  if (!user) throw new AppError('unauthorized', 'Sign in to do this.', { headers: { 'WWW-Authenticate': 'Bearer' } });
  return user;
}

// Sign-in, refresh and sign-out: the flows that turn credentials or a refresh token into a token pair.
import { timed, type Deps } from '../context';
import { getUserByEmail, updatePasswordHash, type UserRecord } from '../db/users';
import { AppError } from '../errors';
import type { LoginBody, TokenResponse } from '../schemas/auth';
import { toProfile } from '../users';
import { burnVerification, hashPassword, verifyPassword } from './password';
import { accountKey, enforceRateLimits } from './rate-limit';
import { createSession, revokeSessionFamily, rotateSession, type IssuedSession } from './sessions';
import { ACCESS_TOKEN_SECONDS, issueAccessToken } from './tokens';

/** Who is calling, as far as the edge can tell. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

// One answer for an unknown email, a wrong password and a disabled account, so the answer reveals nothing.
const invalidCredentials = () => new AppError('unauthorized', 'The email or password is incorrect.');

async function grantTokens(deps: Deps, user: UserRecord, session: IssuedSession): Promise<TokenResponse> {
  return {
    accessToken: await issueAccessToken(deps.config.JWT_SECRET, user),
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshToken: session.refreshToken,
    refreshExpiresAt: session.expiresAt,
    user: toProfile(user),
  };
}

/** Rate limit → look up → verify → session. The limits and the lookup run in parallel. */
export async function logIn(deps: Deps, body: LoginBody, client: ClientInfo): Promise<TokenResponse> {
  const user = await verifyCredentials(deps, body, client);
  const session = await createSession(deps, user.id, client.userAgent);
  return grantTokens(deps, user, session);
}

/**
 * The account behind an email and password, after the sign-in rate limits; one answer (401) for an unknown email,
 * a wrong password and a disabled account. Shared by the API's token sign-in and the browser's cookie sign-in.
 */
export async function verifyCredentials(
  deps: Deps,
  { email, password }: LoginBody,
  client: ClientInfo,
): Promise<UserRecord> {
  const [, user] = await Promise.all([
    accountKey(email).then(async (account) => {
      // In two steps: an attempt the per-address limits refuse must not also spend the account's shared budget,
      // or one address could use it up and lock the owner out from everywhere.
      await enforceRateLimits(deps, [
        { rule: 'loginPerIp', identifier: client.ip },
        { rule: 'loginPerAccountFromIp', identifier: `${account}:${client.ip}` },
      ]);
      await enforceRateLimits(deps, [{ rule: 'loginPerAccount', identifier: account }]);
    }),
    timed(deps, 'db', () => getUserByEmail(deps.sql, email)),
  ]);
  if (!user) {
    // Costs what a real verification costs, so response time does not reveal which emails are registered.
    await burnVerification(password);
    throw invalidCredentials();
  }
  const pepper = deps.config.PASSWORD_PEPPER;
  const { valid, needsRehash } = await verifyPassword(password, user.passwordHash, { pepper });
  // Checked after the password, so a disabled account answers (and takes) exactly what a wrong password does.
  if (!valid || user.disabled) throw invalidCredentials();
  if (needsRehash) await updatePasswordHash(deps.sql, user.id, await hashPassword(password, { pepper }));
  return user;
}

/** Swaps a refresh token for a new pair. The user row comes back from the same statement that rotates. */
export async function refreshTokens(
  deps: Deps,
  refreshToken: string | undefined,
  client: ClientInfo,
): Promise<TokenResponse> {
  if (!refreshToken) throw new AppError('unauthorized', 'No refresh token was presented (body or cookie).');
  const result = await rotateSession(deps, refreshToken, client.userAgent);
  if (result.status === 'reused') {
    throw new AppError(
      'unauthorized',
      'This refresh token was already used, so every session of that sign-in has been ended. Sign in again.',
    );
  }
  if (result.status === 'invalid')
    throw new AppError('unauthorized', 'The refresh token is invalid or expired. Sign in again.');
  return grantTokens(deps, result.user, { refreshToken: result.refreshToken, expiresAt: result.expiresAt });
}

/** Ends the sign-in the token belongs to, on every device that refreshed from it. Idempotent. */
export async function logOut(deps: Deps, refreshToken: string | undefined): Promise<void> {
  if (refreshToken) await revokeSessionFamily(deps, refreshToken);
}

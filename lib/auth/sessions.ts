// Refresh sessions: opaque random tokens, rotated on every use, grouped in families that can be revoked at once.
//
// Only a SHA-256 of each token is stored. A copy of the sessions table (a backup, a replica, a SQL injection
// elsewhere) then grants no sessions: the token cannot be recovered from its hash. A fast hash is enough because
// the token is 256 random bits, not a guessable password; a slow KDF would only cost CPU on every refresh.
import { timed, type Deps } from '../context';
import {
  deleteExpiredSessions,
  insertSession,
  revokeFamilyOfToken,
  revokeUserSessionsStatement,
  rotateSessionRow,
  type RotateOutcome,
  type SessionKind,
} from '../db/sessions';
import type { Statement } from '../db/users';
import { toBase64Url } from '../base64';
import { hexDigest } from '../digest';

/** A session ends this long after its last refresh... */
export const SESSION_IDLE_SECONDS = 14 * 86_400;
/** ...and this long after sign-in, however often it is refreshed. */
export const SESSION_ABSOLUTE_SECONDS = 60 * 86_400;

const TOKEN_BYTES = 32;
const USER_AGENT_MAX = 200;

export interface IssuedSession {
  refreshToken: string;
  /** The family's absolute expiry, ISO 8601. */
  expiresAt: string;
}

export function generateRefreshToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

export function hashRefreshToken(token: string): Promise<string> {
  return hexDigest('SHA-256', token);
}

const clip = (userAgent: string | null | undefined) => userAgent?.slice(0, USER_AGENT_MAX) ?? null;

/** Signs a user in on one device: a new family with its first refresh token (or a browser session's token). */
export async function createSession(
  deps: Deps,
  userId: number,
  userAgent?: string | null,
  kind: SessionKind = 'refresh',
): Promise<IssuedSession> {
  const refreshToken = generateRefreshToken();
  const { expiresAt } = await timed(deps, 'db', async () =>
    insertSession(deps.sql, {
      tokenHash: await hashRefreshToken(refreshToken),
      userId,
      familyId: crypto.randomUUID(),
      lifetimeSeconds: SESSION_ABSOLUTE_SECONDS,
      userAgent: clip(userAgent),
      kind,
    }),
  );
  return { refreshToken, expiresAt };
}

export type RotateResult =
  | Exclude<RotateOutcome, { status: 'rotated' }>
  | (Extract<RotateOutcome, { status: 'rotated' }> & { refreshToken: string });

/** Trades a refresh token for its successor; a replayed (already rotated) token revokes its whole family. */
export async function rotateSession(
  deps: Deps,
  refreshToken: string,
  userAgent?: string | null,
): Promise<RotateResult> {
  const next = generateRefreshToken();
  const [oldHash, newHash] = await Promise.all([hashRefreshToken(refreshToken), hashRefreshToken(next)]);
  const outcome = await timed(deps, 'db', () =>
    rotateSessionRow(deps.sql, { oldHash, newHash, idleSeconds: SESSION_IDLE_SECONDS, userAgent: clip(userAgent) }),
  );
  return outcome.status === 'rotated' ? { ...outcome, refreshToken: next } : outcome;
}

/** Signs out every device that descends from the sign-in this token belongs to. Unknown tokens are ignored. */
export async function revokeSessionFamily(deps: Deps, refreshToken: string): Promise<void> {
  const tokenHash = await hashRefreshToken(refreshToken);
  await timed(deps, 'db', () => revokeFamilyOfToken(deps.sql, tokenHash));
}

/** For a user update that must sign the user out everywhere (disabled, password changed), in its transaction. */
export function revokeUserSessions(deps: Deps, userId: number): Statement {
  return revokeUserSessionsStatement(deps.sql, userId);
}

/** Housekeeping for the cron: rows of families that ended a day ago can no longer matter. */
export function purgeExpiredSessions(deps: Deps): Promise<number> {
  return deleteExpiredSessions(deps.sql);
}

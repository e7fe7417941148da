// SQL for refresh sessions: the only place that knows the sessions table. Rows are keyed by a token's hash, never
// the token itself (see lib/auth/sessions.ts for why).
import type { Sql } from '../clients';
import { iso, type Row } from './rows';
import { rowToUser, userColumns, type Statement, type UserRecord } from './users';

export interface NewSession {
  tokenHash: string;
  userId: number;
  familyId: string;
  /** Absolute end of the family: rotation never extends it. */
  lifetimeSeconds: number;
  userAgent: string | null;
  /** 'cookie' for a browser session, which is never rotated; refresh tokens by default. */
  kind?: SessionKind;
}

export type SessionKind = 'refresh' | 'cookie';

/** Starts a new family with its first token; returns when the family expires. */
export async function insertSession(sql: Sql, session: NewSession): Promise<{ expiresAt: string }> {
  const rows = await sql`
    INSERT INTO sessions (token_hash, user_id, family_id, expires_at, user_agent, kind)
    VALUES (${session.tokenHash}, ${session.userId}, ${session.familyId}::uuid,
            now() + ${session.lifetimeSeconds}::int * interval '1 second', ${session.userAgent},
            ${session.kind ?? 'refresh'})
    RETURNING expires_at`;
  return { expiresAt: iso((rows[0] as Row).expires_at) };
}

export interface RotateSessionInput {
  oldHash: string;
  newHash: string;
  idleSeconds: number;
  userAgent: string | null;
}

export type RotateOutcome =
  | { status: 'rotated'; user: UserRecord; expiresAt: string }
  /** The token had already been rotated: someone replayed it. Its whole family is now revoked. */
  | { status: 'reused' }
  /** Unknown, revoked, expired, idle too long, or its user is disabled (or it lost a race with a concurrent refresh). */
  | { status: 'invalid' };

/**
 * Swaps a refresh token for a new one in one statement. The UPDATE's WHERE clause is the whole validity check, and
 * Postgres re-checks it against the latest row version after waiting on a concurrent update of the same row, so
 * when two refreshes race with one token exactly one of them finds `rotated_at IS NULL` and succeeds. The new
 * row inherits the family and its absolute expiry. A token that was rotated before revokes its whole family here.
 */
export async function rotateSessionRow(sql: Sql, input: RotateSessionInput): Promise<RotateOutcome> {
  const rows = await sql`
    WITH presented AS (
      SELECT family_id, rotated_at FROM sessions WHERE token_hash = ${input.oldHash}
    ), rotated AS (
      UPDATE sessions s SET rotated_at = now(), last_used_at = now()
      FROM users u
      WHERE s.token_hash = ${input.oldHash}
        AND u.id = s.user_id AND NOT u.disabled
        AND s.kind = 'refresh'
        AND s.rotated_at IS NULL AND s.revoked_at IS NULL
        AND s.expires_at > now()
        AND s.last_used_at > now() - ${input.idleSeconds}::int * interval '1 second'
      RETURNING s.user_id, s.family_id, s.expires_at AS session_expires_at, ${sql.unsafe(userColumns('u'))}
    ), fresh AS (
      INSERT INTO sessions (token_hash, user_id, family_id, expires_at, user_agent)
      SELECT ${input.newHash}, user_id, family_id, session_expires_at, ${input.userAgent} FROM rotated
      RETURNING token_hash
    ), revoked AS (
      UPDATE sessions SET revoked_at = now()
      WHERE family_id = (SELECT family_id FROM presented WHERE rotated_at IS NOT NULL) AND revoked_at IS NULL
      RETURNING token_hash
    )
    SELECT r.*, (SELECT count(*) FROM fresh)::int AS inserted,
           EXISTS (SELECT 1 FROM presented WHERE rotated_at IS NOT NULL) AS reused,
           (SELECT count(*) FROM revoked)::int AS revoked
    FROM (VALUES (1)) AS one (x) LEFT JOIN rotated r ON true`;
  const row = rows[0] as Row;
  if (row.reused) return { status: 'reused' };
  if (Number(row.inserted) !== 1 || row.id === null) return { status: 'invalid' };
  return { status: 'rotated', user: rowToUser(row), expiresAt: iso(row.session_expires_at) };
}

export interface CookieSessionLookup {
  tokenHash: string;
  idleSeconds: number;
  /** last_used_at is written at most this often, so browsing does not turn every page view into a write. */
  touchEverySeconds: number;
  /** Also returns the user's reactions on this post, for the post page's buttons. */
  postSlug?: string;
}

/**
 * The user behind a live browser session, or null (unknown, revoked, expired, idle too long, user disabled). One
 * statement: the lookup, a throttled touch of last_used_at that keeps an active session from idling out, the
 * viewer's reactions on the post asked about, and whether their address gets the newsletter (the subscribe slot in
 * every page's footer), so personalising a page stays one round trip.
 */
export async function getCookieSessionUser(
  sql: Sql,
  lookup: CookieSessionLookup,
): Promise<{ user: UserRecord; reactions: string[]; subscription: 'none' | 'pending' | 'confirmed' } | null> {
  const rows = await sql`
    WITH live AS (
      SELECT s.token_hash, s.last_used_at, ${sql.unsafe(userColumns('u'))}
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = ${lookup.tokenHash} AND s.kind = 'cookie'
        AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled
        AND s.last_used_at > now() - ${lookup.idleSeconds}::int * interval '1 second'
    ), touched AS (
      UPDATE sessions SET last_used_at = now()
      WHERE token_hash = (SELECT token_hash FROM live)
        AND last_used_at < now() - ${lookup.touchEverySeconds}::int * interval '1 second'
      RETURNING 1
    )
    SELECT live.*, (SELECT count(*) FROM touched)::int AS touched,
           ARRAY(SELECT r.kind FROM reactions r JOIN posts p ON p.id = r.post_id
                 WHERE p.slug = ${lookup.postSlug ?? null} AND r.user_id = live.id ORDER BY r.kind) AS reactions,
           (SELECT CASE WHEN sb.confirmed_at IS NULL THEN 'pending' ELSE 'confirmed' END
            FROM subscribers sb WHERE lower(sb.email) = lower(live.email)) AS subscription
    FROM live`;
  const row = rows[0] as Row | undefined;
  if (!row) return null;
  const subscription = row.subscription === 'pending' || row.subscription === 'confirmed' ? row.subscription : 'none';
  return { user: rowToUser(row), reactions: (row.reactions as string[] | null) ?? [], subscription };
}

/** Ends one browser session. */
export async function revokeSession(sql: Sql, tokenHash: string): Promise<void> {
  await sql`UPDATE sessions SET revoked_at = now() WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`;
}

/** Revokes every token in the family of the given token; a no-op for unknown tokens. */
export async function revokeFamilyOfToken(sql: Sql, tokenHash: string): Promise<void> {
  await sql`
    UPDATE sessions SET revoked_at = now()
    WHERE family_id = (SELECT family_id FROM sessions WHERE token_hash = ${tokenHash}) AND revoked_at IS NULL`;
}

/** Not yet sent: lets a user update revoke the sessions in the same transaction. */
export function revokeUserSessionsStatement(sql: Sql, userId: number): Statement {
  return sql`UPDATE sessions SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL`;
}

/**
 * Drops families that ended more than `graceSeconds` ago. Rotated rows must outlive their family's expiry only
 * long enough to recognise a replay, and a replayed token of an expired family is refused anyway.
 */
export async function deleteExpiredSessions(sql: Sql, graceSeconds = 86_400): Promise<number> {
  const rows = await sql`
    WITH gone AS (
      DELETE FROM sessions WHERE expires_at < now() - ${graceSeconds}::int * interval '1 second' RETURNING 1
    )
    SELECT count(*)::int AS n FROM gone`;
  return Number(rows[0]?.n ?? 0);
}

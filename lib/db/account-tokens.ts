// SQL for mailed account tokens (password reset, address check, address change): the only place that knows the
// account_tokens table. Rows are keyed by a token's hash, never the token (see lib/auth/account-tokens.ts for why).
// Each use is one statement whose WHERE clause is the whole validity check, so a token works exactly once even when
// two requests present it at the same moment (the second waits on the row, then finds it used).
import type { Sql } from '../clients';
import type { Row } from './rows';

export type AccountTokenPurpose = 'password_reset' | 'verify_email' | 'change_email';

export interface TokenHolder {
  id: number;
  email: string;
  displayName: string;
}

const toHolder = (row: Row): TokenHolder => ({
  id: Number(row.id),
  email: String(row.email),
  displayName: String(row.display_name),
});

/**
 * Looks up the enabled account with this address and, when there is one, stores a reset token for it, in one
 * statement: an unknown address costs the same single round trip as a known one. Null when no account matched.
 */
export async function insertPasswordResetToken(
  sql: Sql,
  input: { email: string; tokenHash: string; lifetimeSeconds: number },
): Promise<TokenHolder | null> {
  const rows = await sql`
    WITH holder AS (
      SELECT id, email, display_name FROM users WHERE lower(email) = lower(${input.email}) AND NOT disabled
    ), issued AS (
      INSERT INTO account_tokens (token_hash, user_id, purpose, email, expires_at)
      SELECT ${input.tokenHash}, id, 'password_reset', email, now() + ${input.lifetimeSeconds}::int * interval '1 second'
      FROM holder
      RETURNING user_id
    )
    SELECT holder.* FROM holder JOIN issued ON issued.user_id = holder.id`;
  return rows[0] ? toHolder(rows[0]) : null;
}

/** Stores a token for a known account (address check or change); `email` is where it is mailed. */
export async function insertAccountToken(
  sql: Sql,
  input: { tokenHash: string; userId: number; purpose: AccountTokenPurpose; email: string; lifetimeSeconds: number },
): Promise<void> {
  await sql`
    INSERT INTO account_tokens (token_hash, user_id, purpose, email, expires_at)
    VALUES (${input.tokenHash}, ${input.userId}, ${input.purpose}, ${input.email},
            now() + ${input.lifetimeSeconds}::int * interval '1 second')`;
}

/**
 * Uses a reset token: sets the new password hash, marks the address verified (the mail reached it), revokes every
 * session of the account and voids its other reset tokens, all in one statement. Null when the token is unknown,
 * used, expired, its account disabled, or the account's address changed since it was mailed.
 */
export async function resetPasswordWithToken(
  sql: Sql,
  input: { tokenHash: string; passwordHash: string },
): Promise<{ userId: number; sessionsRevoked: number } | null> {
  const rows = await sql`
    WITH used AS (
      UPDATE account_tokens SET used_at = now()
      WHERE token_hash = ${input.tokenHash} AND purpose = 'password_reset' AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, email
    ), changed AS (
      UPDATE users u SET password_hash = ${input.passwordHash}, updated_at = now(),
                         email_verified_at = coalesce(u.email_verified_at, now())
      FROM used
      WHERE u.id = used.user_id AND NOT u.disabled AND lower(u.email) = lower(used.email)
      RETURNING u.id
    ), revoked AS (
      UPDATE sessions SET revoked_at = now()
      WHERE user_id IN (SELECT id FROM changed) AND revoked_at IS NULL
      RETURNING 1
    ), voided AS (
      UPDATE account_tokens SET used_at = now()
      WHERE user_id IN (SELECT id FROM changed) AND purpose = 'password_reset' AND used_at IS NULL
        AND token_hash <> ${input.tokenHash}
      RETURNING 1
    )
    SELECT id, (SELECT count(*) FROM revoked)::int AS revoked, (SELECT count(*) FROM voided)::int AS voided
    FROM changed`;
  const row = rows[0];
  return row ? { userId: Number(row.id), sessionsRevoked: Number(row.revoked) } : null;
}

/**
 * Uses an address-check token: the account's address is verified if it is still the address the link was mailed
 * to. Returns the account's id, or null for an unknown, used or expired token (or a since-changed address).
 */
export async function verifyEmailWithToken(sql: Sql, tokenHash: string): Promise<number | null> {
  const rows = await sql`
    WITH used AS (
      UPDATE account_tokens SET used_at = now()
      WHERE token_hash = ${tokenHash} AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, email
    )
    UPDATE users u SET email_verified_at = coalesce(u.email_verified_at, now()), updated_at = now()
    FROM used
    WHERE u.id = used.user_id AND lower(u.email) = lower(used.email)
    RETURNING u.id`;
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * Uses an address-change token: the account takes the address the confirmation was mailed to (now verified), and
 * its other pending changes are voided, and a newsletter subscription of the old address moves with it. Null for an
 * unknown, used or expired token. The unique index on lower(email)
 * refuses the change (23505) when someone else took the address in the meantime.
 */
export async function changeEmailWithToken(
  sql: Sql,
  tokenHash: string,
): Promise<{ userId: number; email: string } | null> {
  const rows = await sql`
    WITH used AS (
      UPDATE account_tokens SET used_at = now()
      WHERE token_hash = ${tokenHash} AND purpose = 'change_email' AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, email
    ), previous AS (
      SELECT u.id, u.email FROM users u JOIN used ON u.id = used.user_id
    ), changed AS (
      UPDATE users u SET email = used.email, email_verified_at = now(), updated_at = now()
      FROM used
      WHERE u.id = used.user_id AND NOT u.disabled
      RETURNING u.id, u.email
    ), voided AS (
      UPDATE account_tokens SET used_at = now()
      WHERE user_id IN (SELECT id FROM changed) AND purpose IN ('change_email', 'verify_email') AND used_at IS NULL
        AND token_hash <> ${tokenHash}
      RETURNING 1
    ), followed AS (
      -- The newsletter follows the account to its confirmed new address, unless that address already subscribes.
      UPDATE subscribers s SET email = changed.email
      FROM changed JOIN previous ON previous.id = changed.id
      WHERE lower(s.email) = lower(previous.email)
        AND NOT EXISTS (SELECT 1 FROM subscribers o WHERE lower(o.email) = lower(changed.email))
      RETURNING 1
    )
    SELECT id, email, (SELECT count(*) FROM voided)::int AS voided, (SELECT count(*) FROM followed)::int AS followed
    FROM changed`;
  return rows[0] ? { userId: Number(rows[0].id), email: String(rows[0].email) } : null;
}

/** Housekeeping for the cron: tokens that ended a day ago can no longer matter. */
export async function deleteExpiredAccountTokens(sql: Sql, graceSeconds = 86_400): Promise<number> {
  const rows = await sql`
    WITH gone AS (
      DELETE FROM account_tokens WHERE expires_at < now() - ${graceSeconds}::int * interval '1 second' RETURNING 1
    )
    SELECT count(*)::int AS n FROM gone`;
  return Number(rows[0]?.n ?? 0);
}

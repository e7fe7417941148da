// SQL for newsletter subscribers (migration 0010): double opt-in sign-ups, confirmation, unsubscribing, the admin's
// list and export, and forgetting addresses that never confirmed. Addresses are unique by lower(email).
import type { Sql } from '../clients';
import { decodeCursor, encodeCursor } from '../pagination';
import { iso, isoOrNull, type Row } from './rows';

export interface SubscriberRecord {
  id: number;
  email: string;
  userId: number | null;
  /** Tag slugs followed; empty means every post. */
  tags: string[];
  createdAt: string;
  confirmedAt: string | null;
}

const COLUMNS = 'id, email, user_id, tags, created_at, confirmed_at';

function rowToSubscriber(row: Row): SubscriberRecord {
  return {
    id: Number(row.id),
    email: String(row.email),
    userId: row.user_id === null ? null : Number(row.user_id),
    tags: (row.tags as string[] | null) ?? [],
    createdAt: iso(row.created_at),
    confirmedAt: isoOrNull(row.confirmed_at),
  };
}

/**
 * A sign-up that waits for the mailed link: a new pending row, or a pending row given a fresh token (and tags, and a
 * fresh week: `created_at` is when its current token was issued). A confirmed address is left exactly as it is, so
 * a stranger typing it changes nothing. One statement; says which of the two the address now is.
 */
export async function upsertPendingSubscriber(
  sql: Sql,
  input: { email: string; tags: string[]; tokenHash: string; userId: number | null },
): Promise<{ id: number; confirmed: boolean }> {
  const rows = await sql`
    WITH upserted AS (
      INSERT INTO subscribers (email, tags, confirm_token_hash, user_id)
      VALUES (${input.email}, ${input.tags}::text[], ${input.tokenHash}, ${input.userId})
      ON CONFLICT ((lower(email))) DO UPDATE
        SET confirm_token_hash = EXCLUDED.confirm_token_hash, tags = EXCLUDED.tags, created_at = now(),
            user_id = COALESCE(EXCLUDED.user_id, subscribers.user_id)
        WHERE subscribers.confirmed_at IS NULL
      RETURNING id
    )
    SELECT id, false AS confirmed FROM upserted
    UNION ALL
    SELECT id, true AS confirmed FROM subscribers
    WHERE lower(email) = lower(${input.email}) AND NOT EXISTS (SELECT 1 FROM upserted)`;
  const row = rows[0]!;
  return { id: Number(row.id), confirmed: row.confirmed === true };
}

/**
 * A signed-in reader whose account address is proven: subscribed and confirmed at once (a pending row for the same
 * address is confirmed, its mailed link voided). Tags already chosen are kept.
 */
export async function upsertConfirmedSubscriber(sql: Sql, input: { email: string; userId: number }): Promise<number> {
  const rows = await sql`
    INSERT INTO subscribers (email, user_id, confirmed_at) VALUES (${input.email}, ${input.userId}, now())
    ON CONFLICT ((lower(email))) DO UPDATE
      SET user_id = EXCLUDED.user_id, confirmed_at = COALESCE(subscribers.confirmed_at, now()),
          confirm_token_hash = NULL
    RETURNING id`;
  return Number(rows[0]!.id);
}

/**
 * Uses a confirmation token: only a pending row whose token was issued less than `lifetimeSeconds` ago. The token
 * is cleared, so a second use finds nothing. Null for a bad, used or expired token.
 */
export async function confirmSubscriberWithToken(
  sql: Sql,
  tokenHash: string,
  lifetimeSeconds: number,
): Promise<SubscriberRecord | null> {
  const rows = await sql`
    UPDATE subscribers SET confirmed_at = now(), confirm_token_hash = NULL
    WHERE confirm_token_hash = ${tokenHash} AND confirmed_at IS NULL
      AND created_at > now() - ${lifetimeSeconds}::int * interval '1 second'
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return rows[0] ? rowToSubscriber(rows[0]) : null;
}

/** Removes one subscriber (an unsubscribe, or an admin's removal); idempotent. False when there was none. */
export async function deleteSubscriber(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql`DELETE FROM subscribers WHERE id = ${id} RETURNING id`;
  return rows.length > 0;
}

/** Removes the subscription of an address (a signed-in reader's own); idempotent. */
export async function deleteSubscriberByEmail(sql: Sql, email: string): Promise<boolean> {
  const rows = await sql`DELETE FROM subscribers WHERE lower(email) = lower(${email}) RETURNING id`;
  return rows.length > 0;
}

/** Where an address stands, for a signed-in reader's subscribe button. */
export async function getSubscriberByEmail(sql: Sql, email: string): Promise<SubscriberRecord | null> {
  const rows = await sql`SELECT ${sql.unsafe(COLUMNS)} FROM subscribers WHERE lower(email) = lower(${email})`;
  return rows[0] ? rowToSubscriber(rows[0]) : null;
}

/** Addresses that never confirmed within `lifetimeSeconds` are forgotten (the cron); returns how many. */
export async function deleteUnconfirmedSubscribers(sql: Sql, lifetimeSeconds: number): Promise<number> {
  const rows = await sql`
    WITH gone AS (
      DELETE FROM subscribers
      WHERE confirmed_at IS NULL AND created_at < now() - ${lifetimeSeconds}::int * interval '1 second'
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM gone`;
  return Number(rows[0]?.n ?? 0);
}

export interface SubscriberCounts {
  confirmed: number;
  pending: number;
}

export interface SubscriberPage {
  items: SubscriberRecord[];
  nextCursor: string | null;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The admin's view in one round trip (one read-only batch): the counts, and one page of subscribers newest first
 * (keyset on id), optionally only addresses containing `search`.
 */
export async function readSubscriberAdminPage(
  sql: Sql,
  { search, cursor, limit }: { search: string; cursor?: string; limit: number },
): Promise<{ counts: SubscriberCounts; page: SubscriberPage }> {
  const beforeId = cursor ? decodeCursor(cursor, 'id').id : 2_147_483_647;
  const [countRows, rows] = (await sql.transaction(
    [
      sql`SELECT count(*) FILTER (WHERE confirmed_at IS NOT NULL)::int AS confirmed,
                 count(*) FILTER (WHERE confirmed_at IS NULL)::int AS pending
          FROM subscribers`,
      sql`SELECT ${sql.unsafe(COLUMNS)} FROM subscribers
          WHERE id < ${beforeId} AND (${search} = '' OR email ILIKE ${likePattern(search)})
          ORDER BY id DESC
          LIMIT ${limit + 1}`,
    ],
    { readOnly: true },
  )) as Row[][];
  const counts = countRows![0] ?? {};
  const items = rows!.slice(0, limit).map(rowToSubscriber);
  const last = items.at(-1);
  return {
    counts: { confirmed: Number(counts.confirmed ?? 0), pending: Number(counts.pending ?? 0) },
    page: { items, nextCursor: rows!.length > limit && last ? encodeCursor({ key: 'id', id: last.id }) : null },
  };
}

/** One slice of every subscriber in id order, for the CSV export (walked by keyset, never all in memory). */
export async function listSubscribersAfter(sql: Sql, afterId: number, limit: number): Promise<SubscriberRecord[]> {
  const rows = await sql`
    SELECT ${sql.unsafe(COLUMNS)} FROM subscribers WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`;
  return rows.map(rowToSubscriber);
}

// SQL for the site settings row and the first-run owner: the only place that knows the site_settings table.
import type { Sql } from '../clients';
import type { BatchPart } from './batch';
import { rowToUser, userColumns, type NewUser, type UserRecord } from './users';

/** The stored settings document ({} before anything was saved), as part of a page's batch (lib/db/batch.ts). */
export function storedSettingsPart(sql: Sql): BatchPart<unknown> {
  return {
    queries: [sql`SELECT settings FROM site_settings WHERE id`],
    decode: ([rows]) => rows?.[0]?.settings ?? {},
  };
}

export async function getStoredSettings(sql: Sql): Promise<unknown> {
  const rows = await sql`SELECT settings FROM site_settings WHERE id`;
  return rows[0]?.settings ?? {};
}

/**
 * Merges `fields` into the stored document in one statement (jsonb `||` replaces the named top-level fields and
 * keeps the rest), so concurrent saves of different fields both land, and returns the document as saved.
 */
export async function mergeStoredSettings(sql: Sql, fields: Record<string, unknown>): Promise<unknown> {
  const rows = await sql`
    INSERT INTO site_settings (id, settings) VALUES (true, ${JSON.stringify(fields)}::jsonb)
    ON CONFLICT (id) DO UPDATE SET settings = site_settings.settings || EXCLUDED.settings, updated_at = now()
    RETURNING settings`;
  return rows[0]?.settings ?? {};
}

/**
 * Stores a re-rendering of the footer, only while the stored footer is still `footer`: an admin's save between the
 * read and this write keeps its own rendering. False when it no longer was.
 */
export async function saveRenderedFooter(sql: Sql, footer: string, footerHtml: string): Promise<boolean> {
  const rows = await sql`
    UPDATE site_settings SET settings = settings || jsonb_build_object('footerHtml', ${footerHtml}::text)
    WHERE id AND settings->>'footer' = ${footer}
    RETURNING 1 AS saved`;
  return rows.length > 0;
}

export async function adminExists(sql: Sql): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled LIMIT 1`;
  return rows.length > 0;
}

// Any constant both setups agree on: the key of the transaction-scoped advisory lock that serialises first runs.
const SETUP_LOCK = 7_007_001;

/**
 * Creates the site's owner (an admin) and saves the site title, only if there is no admin yet; null when there
 * already is one. Two setups at once: the advisory lock makes the second wait for the first to commit, and its
 * INSERT's NOT EXISTS (a fresh snapshot per statement under READ COMMITTED) then sees the owner, so exactly one
 * is created. The owner's address counts as confirmed: they typed it themselves on the one-time form, and the
 * site may have no working mail yet to send them a link.
 */
export async function insertOwnerIfNone(sql: Sql, owner: NewUser, title: string): Promise<UserRecord | null> {
  const [, rows] = await sql.transaction([
    sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`,
    sql`
      WITH owner AS (
        INSERT INTO users (email, username, display_name, role, password_hash, email_verified_at)
        SELECT ${owner.email}, ${owner.username}, ${owner.displayName}, 'admin', ${owner.passwordHash}, now()
        WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')
        RETURNING ${sql.unsafe(userColumns())}
      ), titled AS (
        INSERT INTO site_settings (id, settings)
        SELECT true, jsonb_build_object('title', ${title}::text) FROM owner
        ON CONFLICT (id) DO UPDATE SET settings = site_settings.settings || EXCLUDED.settings, updated_at = now()
      )
      SELECT * FROM owner`,
  ]);
  const row = rows?.[0];
  return row ? rowToUser(row) : null;
}

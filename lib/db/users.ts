// SQL for users: the only place that knows the users table's columns.
import type { NeonQueryPromise } from '@neondatabase/serverless';
import type { Sql } from '../clients';
import type { BatchPart } from './batch';
import { decodeCursor, encodeCursor } from '../pagination';
import type { Role } from '../schemas/user';
import { iso, isoOrNull, type Row } from './rows';

export interface UserRecord {
  id: number;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  bio: string;
  avatarUrl: string | null;
  disabled: boolean;
  passwordHash: string;
  /** When the address was proven by a mailed link; null until then (and again after an admin changes it). */
  emailVerifiedAt: string | null;
  /** Mail about new comments on the user's posts, and about replies to the user's comments. */
  notifyComments: boolean;
  notifyReplies: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A query built but not yet sent, so a caller can run it inside another module's transaction. */
export type Statement = NeonQueryPromise<false, false>;

const COLUMN_NAMES = [
  'id',
  'email',
  'username',
  'display_name',
  'role',
  'bio',
  'avatar_url',
  'disabled',
  'password_hash',
  'email_verified_at',
  'notify_comments',
  'notify_replies',
  'created_at',
  'updated_at',
];

/** The users columns rowToUser reads, optionally qualified by a table alias (for joins in other modules). */
export function userColumns(alias?: string): string {
  return COLUMN_NAMES.map((name) => (alias ? `${alias}.${name}` : name)).join(', ');
}

const USER_COLUMNS = userColumns();

export function rowToUser(row: Row): UserRecord {
  return {
    id: Number(row.id),
    email: String(row.email),
    username: String(row.username),
    displayName: String(row.display_name),
    role: row.role as Role,
    bio: String(row.bio),
    avatarUrl: row.avatar_url === null ? null : String(row.avatar_url),
    disabled: Boolean(row.disabled),
    passwordHash: String(row.password_hash),
    emailVerifiedAt: isoOrNull(row.email_verified_at),
    notifyComments: row.notify_comments !== false,
    notifyReplies: row.notify_replies !== false,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export interface NewUser {
  email: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  bio?: string;
}

export async function insertUser(sql: Sql, user: NewUser): Promise<UserRecord> {
  const rows = await sql`
    INSERT INTO users (email, username, display_name, role, password_hash, bio)
    VALUES (${user.email}, ${user.username}, ${user.displayName}, ${user.role}, ${user.passwordHash}, ${user.bio ?? ''})
    RETURNING ${sql.unsafe(USER_COLUMNS)}`;
  return rowToUser(rows[0] as Row);
}

export async function getUserByEmail(sql: Sql, email: string): Promise<UserRecord | null> {
  const rows = await sql`SELECT ${sql.unsafe(USER_COLUMNS)} FROM users WHERE lower(email) = lower(${email})`;
  return rows[0] ? rowToUser(rows[0]) : null;
}

export async function getUserById(sql: Sql, id: number): Promise<UserRecord | null> {
  const rows = await sql`SELECT ${sql.unsafe(USER_COLUMNS)} FROM users WHERE id = ${id}`;
  return rows[0] ? rowToUser(rows[0]) : null;
}

export async function getUserByUsername(sql: Sql, username: string): Promise<UserRecord | null> {
  const rows = await sql`SELECT ${sql.unsafe(USER_COLUMNS)} FROM users WHERE lower(username) = lower(${username})`;
  return rows[0] ? rowToUser(rows[0]) : null;
}

/** Users whose username, display name or email contains the text, oldest first: the admin's user search. */
export async function searchUsers(sql: Sql, text: string, limit: number): Promise<UserRecord[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await sql`
    SELECT ${sql.unsafe(USER_COLUMNS)} FROM users
    WHERE ${text} = '' OR username ILIKE ${pattern} OR display_name ILIKE ${pattern} OR email ILIKE ${pattern}
    ORDER BY id
    LIMIT ${limit}`;
  return rows.map(rowToUser);
}

/** The first admin account still enabled: who an import acts as unless told otherwise. */
export async function getOldestAdmin(sql: Sql): Promise<UserRecord | null> {
  const rows = await sql`
    SELECT ${sql.unsafe(USER_COLUMNS)} FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id LIMIT 1`;
  return rows[0] ? rowToUser(rows[0]) : null;
}

export async function countUsers(sql: Sql): Promise<number> {
  const rows = await sql`SELECT count(*)::int AS n FROM users`;
  return Number(rows[0]?.n ?? 0);
}

export interface ListUsersOptions {
  limit: number;
  cursor?: string;
  role?: Role;
}

/** Oldest first by id (keyset); a role filter walks the (role, id) index. */
export async function listUsers(
  sql: Sql,
  { limit, cursor, role }: ListUsersOptions,
): Promise<{ items: UserRecord[]; nextCursor: string | null }> {
  const afterId = cursor ? decodeCursor(cursor, 'id').id : 0;
  const rows = await sql`
    SELECT ${sql.unsafe(USER_COLUMNS)} FROM users
    WHERE id > ${afterId} AND (${role ?? null}::text IS NULL OR role = ${role ?? null})
    ORDER BY id
    LIMIT ${limit + 1}`;
  const items = rows.slice(0, limit).map(rowToUser);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ key: 'id', id: last.id }) : null };
}

export interface UserChanges {
  email?: string;
  username?: string;
  displayName?: string;
  bio?: string;
  /** undefined leaves it; null clears it. */
  avatarUrl?: string | null;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
  notifyComments?: boolean;
  notifyReplies?: boolean;
}

/**
 * Applies the given changes (absent fields stay as they are) and returns the new row, or null when no such user.
 * `alongside` statements run in the same transaction, after the update: e.g. revoking the user's sessions.
 */
/**
 * `actingAdminId`: the change (a role or an account's status) applies only if that user is still an enabled admin
 * when it commits. The admin's row is share-locked, so two admins demoting each other at once cannot both win:
 * the second waits for the first, or Postgres breaks the deadlock by refusing one. Null when nothing was updated.
 */
export async function updateUser(
  sql: Sql,
  id: number,
  changes: UserChanges,
  alongside: Statement[] = [],
  { actingAdminId }: { actingAdminId?: number } = {},
): Promise<UserRecord | null> {
  const stillAdmin =
    actingAdminId === undefined
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM users a WHERE a.id = ${actingAdminId} AND a.role = 'admin' AND NOT a.disabled FOR SHARE)`;
  const update = sql`
    UPDATE users SET
      email         = coalesce(${changes.email ?? null}::text, email),
      username      = coalesce(${changes.username ?? null}::text, username),
      display_name  = coalesce(${changes.displayName ?? null}::text, display_name),
      bio           = coalesce(${changes.bio ?? null}::text, bio),
      avatar_url    = CASE WHEN ${changes.avatarUrl !== undefined}::boolean THEN ${changes.avatarUrl ?? null}::text ELSE avatar_url END,
      role          = coalesce(${changes.role ?? null}::text, role),
      disabled      = coalesce(${changes.disabled ?? null}::boolean, disabled),
      password_hash = coalesce(${changes.passwordHash ?? null}::text, password_hash),
      -- A new address is not a proven one (an admin typed it; a user's own change goes through a mailed link).
      email_verified_at = CASE WHEN lower(coalesce(${changes.email ?? null}::text, email)) = lower(email)
                               THEN email_verified_at END,
      notify_comments = coalesce(${changes.notifyComments ?? null}::boolean, notify_comments),
      notify_replies  = coalesce(${changes.notifyReplies ?? null}::boolean, notify_replies),
      updated_at    = now()
    WHERE id = ${id} ${stillAdmin}
    RETURNING ${sql.unsafe(USER_COLUMNS)}`;
  const [rows] = alongside.length > 0 ? await sql.transaction([update, ...alongside]) : [await update];
  return rows?.[0] ? rowToUser(rows[0]) : null;
}

/** Stores a fresh hash after a login verified the password against weaker parameters. */
export async function updatePasswordHash(sql: Sql, id: number, passwordHash: string): Promise<void> {
  await sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${id}`;
}

export type DeleteOutcome = { status: 'deleted' } | { status: 'not_found' } | { status: 'has_posts'; posts: number };

/**
 * Deletes a user who has no posts, in one statement. Sessions go with them (ON DELETE CASCADE); their comments
 * stay, unattributed (ON DELETE SET NULL). A post written between the count and the delete makes the foreign key
 * refuse the delete, which reaches the client as a 409 like `has_posts`.
 */
export async function deleteUser(sql: Sql, id: number): Promise<DeleteOutcome> {
  const rows = await sql`
    WITH target AS (
      SELECT u.id, (SELECT count(*) FROM posts p WHERE p.author_id = u.id)::int AS posts FROM users u WHERE u.id = ${id}
    ), gone AS (
      DELETE FROM users WHERE id IN (SELECT id FROM target WHERE posts = 0) RETURNING id
    )
    SELECT t.posts, (SELECT count(*) FROM gone)::int AS deleted FROM target t`;
  const row = rows[0];
  if (!row) return { status: 'not_found' };
  if (Number(row.deleted) === 1) return { status: 'deleted' };
  return { status: 'has_posts', posts: Number(row.posts) };
}

/**
 * Gives every post of `id` to `toId` and deletes `id`, in one transaction: either both happen or neither.
 * Returns null when `id` does not exist (the transaction then changed nothing), else the slugs of the moved posts.
 */
export async function deleteUserReassigningPosts(
  sql: Sql,
  id: number,
  toId: number,
): Promise<{ movedSlugs: string[] } | null> {
  const [moved, deleted] = await sql.transaction([
    sql`UPDATE posts SET author_id = ${toId}, updated_at = now() WHERE author_id = ${id} RETURNING slug`,
    sql`DELETE FROM users WHERE id = ${id} RETURNING id`,
  ]);
  if (!deleted?.[0]) return null;
  return { movedSlugs: (moved ?? []).map((row) => String(row.slug)) };
}

/** Makes an existing account an enabled admin (the create-admin script's promote path). */
export async function promoteToAdmin(sql: Sql, email: string): Promise<UserRecord | null> {
  const rows = await sql`
    UPDATE users SET role = 'admin', disabled = false, updated_at = now()
    WHERE lower(email) = lower(${email})
    RETURNING ${sql.unsafe(USER_COLUMNS)}`;
  return rows[0] ? rowToUser(rows[0]) : null;
}

/**
 * The author behind /authors/:username: someone who writes (author, editor, admin) or has published, and is not
 * disabled. Readers' accounts get no public page.
 */
export async function getPublicAuthor(sql: Sql, username: string): Promise<UserRecord | null> {
  const part = publicAuthorPart(sql, username);
  return part.decode([await part.queries[0]!]);
}

/** getPublicAuthor as part of a batch (lib/db/batch.ts). */
export function publicAuthorPart(sql: Sql, username: string): BatchPart<UserRecord | null> {
  return {
    queries: [
      sql`
        SELECT ${sql.unsafe(userColumns('u'))} FROM users u
        WHERE lower(u.username) = lower(${username}) AND NOT u.disabled
          AND (u.role <> 'reader' OR EXISTS (SELECT 1 FROM posts p WHERE p.author_id = u.id AND p.status = 'published' AND p.type = 'post'))`,
    ],
    decode: ([rows]) => (rows?.[0] ? rowToUser(rows[0]) : null),
  };
}

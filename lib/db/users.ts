// SQL for users: the only place that knows the users table's columns.
import type { Sql } from '../clients';
import type { Role } from '../schemas/user';
import { iso, type Row } from './rows';

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
  createdAt: string;
  updatedAt: string;
}

const USER_COLUMNS = 'id, email, username, display_name, role, bio, avatar_url, disabled, password_hash, created_at, updated_at';

function rowToUser(row: Row): UserRecord {
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

export async function countUsers(sql: Sql): Promise<number> {
  const rows = await sql`SELECT count(*)::int AS n FROM users`;
  return Number(rows[0]?.n ?? 0);
}

// Applies numbered SQL migrations through the Neon client itself, each in one transaction, recorded by name.
import type { Sql } from '../clients';

export interface Migration {
  name: string;
  sql: string;
}

/**
 * Neon's HTTP endpoint runs one statement per query (extended protocol), so a migration file is split into
 * statements here: on semicolons outside quotes, dollar-quoted bodies and comments.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
    if (rest.startsWith('--')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
      current += '\n';
    } else if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (text[i] === "'" || text[i] === '"') {
      const quote = text[i] as string;
      let j = i + 1;
      while (j < text.length && !(text[j] === quote && text[j + 1] !== quote)) j += text[j] === quote ? 2 : 1;
      current += text.slice(i, j + 1);
      i = j + 1;
    } else if (dollar) {
      const tag = dollar[0];
      const end = text.indexOf(tag, i + tag.length);
      const stop = end === -1 ? text.length : end + tag.length;
      current += text.slice(i, stop);
      i = stop;
    } else if (text[i] === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      i += 1;
    } else {
      current += text[i];
      i += 1;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/** Applies the migrations not yet recorded, in name order. Returns the names it applied. */
export async function migrate(sql: Sql, migrations: Migration[]): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;
  const rows = await sql`SELECT name FROM schema_migrations`;
  const applied = new Set(rows.map((row) => String(row.name)));
  const pending = migrations.filter((m) => !applied.has(m.name)).sort((a, b) => a.name.localeCompare(b.name));
  for (const migration of pending) {
    // Recording the name inside the same transaction means a concurrent migrator fails cleanly on the primary key.
    await sql.transaction([
      ...splitStatements(migration.sql).map((statement) => sql.query(statement)),
      sql`INSERT INTO schema_migrations (name) VALUES (${migration.name})`,
    ]);
  }
  return pending.map((m) => m.name);
}

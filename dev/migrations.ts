// Reads migrations/*.sql from disk for the Node-side migrator (dev server, tests' global setup, CLI).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Migration } from '../lib/db/migrate';

export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url).pathname;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  // `0008b_revisions.sql`: a letter after the number adds a migration to a reserved number, in order after it.
  const files = (await readdir(dir)).filter((f) => /^\d+[a-z]?_.*\.sql$/.test(f)).sort();
  return Promise.all(files.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })));
}

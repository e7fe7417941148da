// `npm run db:migrate`: applies pending migrations through the Neon client.
// - DATABASE_URL on Neon (*.neon.tech): straight to Neon's HTTP endpoint, exactly as the Worker talks to it.
// - Any other DATABASE_URL, or none: through the local Neon stand-in, to that PostgreSQL or to PGlite in .data/.
import { neon } from '@neondatabase/serverless';
import { migrate } from '../lib/db/migrate';
import { loadMigrations } from './migrations';
import { isNeonUrl } from './neon-url';
import { startStack } from './stack';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  let applied: string[];
  if (isNeonUrl(url)) {
    applied = await migrate(neon(url), await loadMigrations());
  } else {
    const stack = await startStack({
      databaseUrl: url,
      pgliteDir: new URL('../.data/pglite', import.meta.url).pathname,
      upstashToken: 'migrate-only',
    });
    applied = stack.migrated;
    await stack.close();
  }
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

main().catch((error) => {
  console.error('[lembas] migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});

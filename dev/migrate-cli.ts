// `npm run db:migrate`: applies pending migrations through the Neon client, to the local stand-in's backend.
import { startStack } from './stack';

const stack = await startStack({
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
  pgliteDir: new URL('../.data/pglite', import.meta.url).pathname,
  upstashToken: 'migrate-only',
});
console.log(stack.migrated.length > 0 ? `applied: ${stack.migrated.join(', ')}` : 'database is up to date');
await stack.close();

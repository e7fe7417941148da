// Runs in Node before the workerd tests: stand-ins over PGlite/in-process Redis, or over the real servers named
// by DATABASE_URL/REDIS_URL (on a throwaway database), with migrations applied.
import { startStack, type Stack } from '../dev/stack';
import { createTestDatabase, type TestDatabase } from '../dev/test-database';

let stack: Stack | undefined;
let database: TestDatabase | undefined;

export async function setup(): Promise<void> {
  database = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  stack = await startStack({
    neonPort: Number(process.env.LEMBAS_TEST_NEON_PORT),
    upstashPort: Number(process.env.LEMBAS_TEST_UPSTASH_PORT),
    upstashToken: String(process.env.LEMBAS_TEST_UPSTASH_TOKEN),
    mailPort: Number(process.env.LEMBAS_TEST_MAIL_PORT),
    databaseUrl: database?.url,
    redisUrl: process.env.REDIS_URL,
  });
  console.log(`[test] Postgres: ${stack.neon.backend}; Redis: ${stack.upstash.backend}`);
}

export async function teardown(): Promise<void> {
  await stack?.close();
  await database?.drop();
}

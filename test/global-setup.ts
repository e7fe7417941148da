// Runs in Node before the workerd tests: stand-ins over PGlite/in-process Redis, or over the real servers named
// by DATABASE_URL/REDIS_URL (on a throwaway database), with migrations applied.
import { startStack, type Stack } from '../dev/stack';
import { startWorkersCache, type WorkersCacheStandIn } from '../dev/standins/workers-cache';
import { startReceiver, type Receiver } from '../dev/standins/receiver';
import { createTestDatabase, type TestDatabase } from '../dev/test-database';

let stack: Stack | undefined;
let edge: WorkersCacheStandIn | undefined;
let database: TestDatabase | undefined;
const freshStacks: Stack[] = [];
const freshDatabases: TestDatabase[] = [];
let receiver: Receiver | undefined;

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
  // Only its purge channel is used: the tests call the Worker directly, and read back what each write purged. Every
  // test file purges, so the Free-tier rate limit would only make them wait on each other.
  edge = await startWorkersCache({
    origin: 'http://127.0.0.1:9',
    controlPort: Number(process.env.LEMBAS_TEST_EDGE_PORT),
    purgeRateLimit: false,
  });
  receiver = await startReceiver({ port: Number(process.env.LEMBAS_TEST_RECEIVER_PORT) });
  console.log(`[test] Postgres: ${stack.neon.backend}; Redis: ${stack.upstash.backend}`);
  // The shared test site has been through its first run, as every deployed site has: without an admin, /admin would
  // lead to /setup (lib/setup.ts), and whether it did would depend on which test file created an admin first.
  await stack.sql`INSERT INTO users (email, username, display_name, role, password_hash)
                  VALUES ('owner@blog.example', 'site_owner', 'Site Owner', 'admin', 'no sign-in')`;
  // One after another: the Neon client's fetch endpoint is process-wide, so stacks migrating at once would cross.
  const sites = JSON.parse(String(process.env.LEMBAS_TEST_SITES)) as Record<string, SitePorts>;
  for (const ports of Object.values(sites)) {
    const freshDatabase = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
    if (freshDatabase) freshDatabases.push(freshDatabase);
    freshStacks.push(
      await startStack({
        ...ports,
        upstashToken: String(process.env.LEMBAS_TEST_UPSTASH_TOKEN),
        databaseUrl: freshDatabase?.url,
        redisUrl: process.env.REDIS_URL,
      }),
    );
  }
}

interface SitePorts {
  neonPort: number;
  upstashPort: number;
}

export async function teardown(): Promise<void> {
  await Promise.all([edge?.close(), stack?.close(), receiver?.close(), ...freshStacks.map((fresh) => fresh.close())]);
  await Promise.all([database?.drop(), ...freshDatabases.map((fresh) => fresh.drop())]);
}

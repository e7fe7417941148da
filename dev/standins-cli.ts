// `npm run standins`: the stand-ins alone (Neon, Upstash and the mailbox) (migrated, no Worker), for pointing your own Worker, a script or a
// client at them. Prints their URLs and the Upstash token; Ctrl-C stops them.
import { randomBytes } from 'node:crypto';
import { startStack } from './stack';

async function main(): Promise<void> {
  const token = process.env.UPSTASH_TOKEN ?? randomBytes(16).toString('hex');
  const stack = await startStack({
    neonPort: Number(process.env.LEMBAS_NEON_PORT ?? 8790),
    upstashPort: Number(process.env.LEMBAS_UPSTASH_PORT ?? 8791),
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    pgliteDir: process.env.DATABASE_URL ? undefined : new URL('../.data/pglite', import.meta.url).pathname,
    upstashToken: token,
    mailPort: Number(process.env.LEMBAS_MAIL_PORT ?? 8792),
  });
  console.log(`Neon HTTP stand-in (${stack.neon.backend}):   ${stack.neon.url}`);
  console.log(`Upstash REST stand-in (${stack.upstash.backend}): ${stack.upstash.url}`);
  console.log(`Upstash token: ${token}`);
  if (stack.mailbox) console.log(`Local mailbox:                 ${stack.mailbox.url}/`);
  console.log('Worker vars:');
  for (const [name, value] of Object.entries(stack.workerVars)) console.log(`  ${name}=${value}`);
  const stop = async () => {
    await stack.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error('[standins] could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

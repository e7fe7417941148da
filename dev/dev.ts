// `npm run dev`: stand-ins, migrations and demo content, then `wrangler dev` pointed at them, behind the Workers
// Cache stand-in (visitors use PORT; wrangler dev listens on LEMBAS_CACHE_PORT behind it). Ctrl-C stops it all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyStaticAssets } from './assets';
import { portOr } from './ports';
import { saveDemoCredentials, seedIfEmpty } from './seed';
import { startStack } from './stack';
import { startWorkersCache } from './standins/workers-cache';

const DATA_DIR = new URL('../.data/', import.meta.url).pathname;
const port = Number(process.env.PORT ?? 8787);
/** Where wrangler dev itself listens, behind the Workers Cache stand-in. */
const workerPort = Number(process.env.LEMBAS_CACHE_PORT ?? 8793);

function say(line: string): void {
  console.log(`[lembas] ${line}`);
}

/** Local secrets are generated once and kept under .data/, so sessions survive a restart of `npm run dev`. */
async function localSecrets(): Promise<{ JWT_SECRET: string; UPSTASH_TOKEN: string }> {
  const file = `${DATA_DIR}dev-secrets.json`;
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8'));
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), UPSTASH_TOKEN: randomBytes(16).toString('hex') };
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function main(): Promise<void> {
  const started = Date.now();
  copyStaticAssets();
  const secrets = await localSecrets();
  // LEMBAS_FRESH=1: a database in memory, never seeded, as a first deploy finds it (to try /setup); gone at exit.
  const fresh = process.env.LEMBAS_FRESH === '1';
  const stack = await startStack({
    neonPort: Number(process.env.LEMBAS_NEON_PORT ?? 8790),
    upstashPort: Number(process.env.LEMBAS_UPSTASH_PORT ?? 8791),
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    pgliteDir: fresh ? undefined : `${DATA_DIR}pglite`,
    upstashToken: secrets.UPSTASH_TOKEN,
    mailPort: Number(process.env.LEMBAS_MAIL_PORT ?? 8792),
    log: (line) => say(line),
  });
  say(`Postgres: ${stack.neon.backend} behind the Neon HTTP stand-in at ${stack.neon.url}`);
  say(`Redis:    ${stack.upstash.backend} behind the Upstash REST stand-in at ${stack.upstash.url}`);
  if (stack.mailbox) say(`Mail:     every message the Worker sends is kept at ${stack.mailbox.url}/ (JSON: /messages)`);
  if (stack.migrated.length > 0) say(`applied migrations: ${stack.migrated.join(', ')}`);
  const seed = fresh ? { seeded: false as const } : await seedIfEmpty(stack.sql);
  if (fresh) say('LEMBAS_FRESH=1: an empty database in memory, no demo content; open /setup to create the owner');
  const credentials = `${DATA_DIR}demo-admin.json`;
  if (seed.seeded && seed.admin) {
    await saveDemoCredentials(credentials, seed.admin);
    say(`seeded ${seed.posts} demo posts; demo admin: ${seed.admin.email} / ${seed.admin.password}`);
    say("the demo admin's sign-in is kept in .data/demo-admin.json (owner-only; the browser suite reads it)");
  } else if (!fresh && existsSync(credentials)) {
    say('demo admin (as seeded): .data/demo-admin.json');
  }

  const edge = await startWorkersCache({
    origin: `http://127.0.0.1:${workerPort}`,
    port,
    // Cloudflare's Free-tier purge limits apply to every Worker's cache; LEMBAS_CACHE_PURGE_LIMIT=off lifts them here.
    purgeRateLimit: process.env.LEMBAS_CACHE_PURGE_LIMIT !== 'off',
    // wrangler dev's own cron trigger, not the Worker's: never cached, so every call runs the cron.
    passThrough: (path) => path === '/__scheduled',
    log: (line) => say(line),
  }).catch(async (error) => {
    await stack.close();
    throw error;
  });
  say(`Workers Cache stand-in at http://localhost:${port}, in front of wrangler dev on port ${workerPort}`);

  const vars: Record<string, string> = {
    ...stack.workerVars,
    // ctx.cache is undefined under wrangler dev: the Worker purges the stand-in through this channel instead.
    CACHE_PURGE_URL: edge.purgeUrl,
    JWT_SECRET: secrets.JWT_SECRET,
    SITE_URL: `http://localhost:${port}`,
    SECURE_COOKIES: 'false',
    // Webhooks may point at a receiver on this machine (refused anywhere else: lib/webhooks/address.ts).
    ALLOW_LOCAL_WEBHOOKS: 'true',
  };
  const wranglerBin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  // --test-scheduled exposes /__scheduled, so the cron can be run by hand: curl localhost:8787/__scheduled
  const args = [
    wranglerBin,
    'dev',
    // The blog Worker, then the text Worker it calls over its TEXT service binding, in one wrangler dev session.
    '--config',
    'wrangler.toml',
    '--config',
    'functions/text/wrangler.toml',
    '--port',
    String(workerPort),
    '--ip',
    '127.0.0.1',
    '--show-interactive-dev-session=false',
    '--test-scheduled',
    // workerd's inspector takes 9229 for debuggers; when another dev server holds it, any free port will do
    // (wrangler otherwise stops with "Address already in use").
    '--inspector-port',
    String(process.env.LEMBAS_INSPECTOR_PORT ?? (await portOr(9229))),
  ];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  // Fresh keeps nothing of the Worker's local storage either (R2 images, queues): a temporary folder, not the
  // checkout's .wrangler/, so a fresh run beside the demo's `npm run dev` shares no state with it.
  const persistTo = fresh ? mkdtempSync(join(tmpdir(), 'lembas-fresh-')) : undefined;
  if (persistTo) args.push('--persist-to', persistTo);
  const wrangler = spawn(process.execPath, args, {
    stdio: 'inherit',
    // The Worker's build (wrangler.toml's [build], dev/build-worker.ts) keeps names locally, for readable traces.
    env: { LEMBAS_MINIFY: '0', ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  say(`starting wrangler dev on http://localhost:${port} (stand-ins ready in ${Date.now() - started} ms)`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (wrangler.exitCode === null) wrangler.kill('SIGTERM');
    await Promise.allSettled([edge.close(), stack.close()]);
    if (persistTo) rmSync(persistTo, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  wrangler.on('exit', (code) => void stop(code ?? 0));
}

main().catch((error) => {
  console.error('[lembas] could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

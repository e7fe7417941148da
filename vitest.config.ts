// The Worker's tests run inside workerd; global setup starts the stand-ins on ports chosen here.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { copyStaticAssets } from './dev/assets';
import { freePort } from './dev/ports';
import { buildTextWorker, textWorkerOptions } from './dev/text-worker';
import { FRESH_SITES } from './test/fresh-sites';

export default defineConfig(async () => {
  // The Worker's tests serve public/ as wrangler.toml's [assets] says, Swagger UI's copied files included.
  copyStaticAssets();
  // wrangler.toml binds the text Worker as TEXT; the tests run it as an auxiliary Worker, built as it deploys.
  const textWorker = buildTextWorker(new URL('./.wrangler/test-text-worker/', import.meta.url).pathname);
  const neonPort = await freePort();
  const upstashPort = await freePort();
  const mailPort = await freePort();
  const edgePort = await freePort();
  const receiverPort = await freePort();
  const receiver = `http://127.0.0.1:${receiverPort}`;
  const upstashToken = `test-token-${process.pid}`;
  // Sites of their own (a database and a cache each) for tests that need a site with no admin yet, or that change
  // site-wide settings, which would pull the ground from under other files' tests sharing the main database.
  const sites: Record<string, { neonPort: number; upstashPort: number }> = {};
  for (const name of FRESH_SITES) sites[name] = { neonPort: await freePort(), upstashPort: await freePort() };
  Object.assign(process.env, {
    LEMBAS_TEST_EDGE_PORT: String(edgePort),
    LEMBAS_TEST_NEON_PORT: String(neonPort),
    LEMBAS_TEST_UPSTASH_PORT: String(upstashPort),
    LEMBAS_TEST_UPSTASH_TOKEN: upstashToken,
    LEMBAS_TEST_MAIL_PORT: String(mailPort),
    LEMBAS_TEST_SITES: JSON.stringify(sites),
    LEMBAS_TEST_RECEIVER_PORT: String(receiverPort),
  });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        // The source, not wrangler.toml's main (the build's output, dev/build-worker.ts): the tests import the same
        // modules the Worker runs, and need no build first.
        main: './functions/index.ts',
        miniflare: {
          workers: [textWorkerOptions(textWorker)],
          bindings: {
            DATABASE_URL: 'postgres://lembas:local@localhost.neon/lembas',
            NEON_FETCH_ENDPOINT: `http://127.0.0.1:${neonPort}/sql`,
            UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${upstashPort}`,
            UPSTASH_REDIS_REST_TOKEN: upstashToken,
            JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
            // A fresh namespace per run, so a real Redis shared between runs never serves another run's data.
            CACHE_NAMESPACE: `test${Date.now()}`,
            SITE_URL: 'https://blog.example',
            SECURE_COOKIES: 'true',
            // Mail goes to the local mailbox (global setup starts it), where tests read it back.
            MAIL_CAPTURE_URL: `http://127.0.0.1:${mailPort}`,
            TEST_SITES: JSON.stringify(
              Object.fromEntries(
                Object.entries(sites).map(([name, ports]) => [
                  name,
                  {
                    NEON_FETCH_ENDPOINT: `http://127.0.0.1:${ports.neonPort}/sql`,
                    UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${ports.upstashPort}`,
                  },
                ]),
              ),
            ),
            // The Workers Cache stand-in's purge channel (test/global-setup.ts): the tests read what was purged.
            CACHE_PURGE_URL: `http://127.0.0.1:${edgePort}/purge`,
            // Webhooks, IndexNow and DNS lookups go to a local receiver (dev/standins/receiver.ts), which tests read.
            TEST_RECEIVER_URL: receiver,
            ALLOW_LOCAL_WEBHOOKS: 'true',
            WEBHOOK_DOH_URL: `${receiver}/dns-query`,
            INDEXNOW_KEY: 'lembas-test-indexnow-key',
            INDEXNOW_ENDPOINT: `${receiver}/indexnow`,
          },
        },
      }),
    ],
    test: {
      include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
      exclude: ['test/node/**'],
      globalSetup: ['./test/global-setup.ts'],
      testTimeout: 20_000,
      hookTimeout: 60_000,
    },
  };
});

// `npm run bench`: builds the Worker bundle and runs it in Miniflare (never `wrangler dev`, whose proxy costs ~6x
// the CPU) over the local stand-ins, then prints round trips per request, latency under injected network delay,
// throughput on a cache hit, and the CPU cost of the slow paths (password hashing, markdown).
import { Redis } from '@upstash/redis';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { Miniflare } from 'miniflare';
import { hashPassword } from '../lib/auth/password';
import { renderMarkdown } from '../lib/markdown';
import { copyStaticAssets } from '../dev/assets';
import { seedIfEmpty } from '../dev/seed';
import { startStack } from '../dev/stack';
import { createTestDatabase } from '../dev/test-database';

const OUT_DIR = new URL('../.bench/dist/', import.meta.url).pathname;
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 20);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const NAMESPACE = `bench${Date.now()}`;
const TOKEN = 'bench-token';

function heading(text: string): void {
  console.log(`\n## ${text}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

function build(): { path: string; bytes: number; gzipBytes: number } {
  const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const result = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', OUT_DIR], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (result.status !== 0) throw new Error(`wrangler build failed:\n${result.stdout}\n${result.stderr}`);
  const code = readFileSync(`${OUT_DIR}index.js`);
  return { path: `${OUT_DIR}index.js`, bytes: code.length, gzipBytes: gzipSync(code).length };
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Asynchronous on purpose: the stand-ins run in this process, and a blocked event loop would stall every request. */
async function runWrk(url: string): Promise<string> {
  const { stdout: output } = await promisify(execFile)('wrk', [
    '-t2',
    `-c${CONCURRENCY}`,
    `-d${LOAD_SECONDS}s`,
    '--latency',
    url,
  ]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? '?';
  const p50 = /\s50%\s+(\S+)/.exec(output)?.[1] ?? '?';
  const p99 = /\s99%\s+(\S+)/.exec(output)?.[1] ?? '?';
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? '0';
  return `${Number(rps).toFixed(0)} req/s   p50 ${p50}   p99 ${p99}   non-2xx ${errors}   (wrk)`;
}

async function runNodeLoad(
  request: (path: string) => Promise<{ ms: number; status: number }>,
  path: string,
): Promise<string> {
  const latencies: number[] = [];
  const deadline = performance.now() + LOAD_SECONDS * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const result = await request(path);
        if (result.status !== 200) errors += 1;
        latencies.push(result.ms);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return `${(latencies.length / LOAD_SECONDS).toFixed(0)} req/s   p50 ${fmt(percentile(latencies, 50))}   p99 ${fmt(percentile(latencies, 99))}   errors ${errors}   (Node client)`;
}

async function main(): Promise<void> {
  console.log('# lembas benchmark');
  console.log(
    `node ${process.version}; stand-in delay ${DELAY_MS} ms per request; load ${CONCURRENCY} concurrent for ${LOAD_SECONDS} s`,
  );

  copyStaticAssets();
  const bundle = build();
  heading('Bundle');
  console.log(
    `index.js: ${(bundle.bytes / 1024).toFixed(0)} KiB, ${(bundle.gzipBytes / 1024).toFixed(0)} KiB gzipped (Workers limit: 3 MiB free, 10 MiB paid)`,
  );

  // Seeding demo content must never touch real data: on a real server the benchmark gets a database of its own.
  const database = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  const stack = await startStack({
    databaseUrl: database?.url,
    redisUrl: process.env.REDIS_URL,
    upstashToken: TOKEN,
  });
  console.log(`backends: Postgres ${stack.neon.backend}, Redis ${stack.upstash.backend}`);
  await seedIfEmpty(stack.sql);
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle.path,
    compatibilityDate: '2026-04-20',
    r2Buckets: ['MEDIA'],
    // The same public/ that wrangler.toml's [assets] serves, so static files are answered before the Worker runs.
    assets: { directory: new URL('../public/', import.meta.url).pathname, routerConfig: { has_user_worker: true } },
    bindings: {
      ...stack.workerVars,
      JWT_SECRET: 'b'.repeat(32),
      CACHE_NAMESPACE: NAMESPACE,
      SITE_URL: 'http://localhost',
    },
  });
  const redis = new Redis({ url: stack.upstash.url, token: TOKEN, retry: false, enableAutoPipelining: false });

  const request = async (path: string) => {
    const started = performance.now();
    const response = await mf.dispatchFetch(`http://localhost${path}`);
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status, cache: response.headers.get('x-cache') };
  };
  const dropCache = async () => {
    const keys = await redis.keys(`${NAMESPACE}:*`);
    if (keys.length > 0) await redis.del(...keys);
  };
  // The Worker fills the cache after responding; let that finish before the next measurement.
  const settle = () => new Promise((r) => setTimeout(r, 50));

  const routes = ['/posts/welcome-to-lembas', '/', '/api/posts', '/api/posts/postgres-over-http'];
  const medianOf = async (path: string, runs: number) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await request(path)).ms);
    return percentile(
      times.sort((a, b) => a - b),
      50,
    );
  };
  try {
    await request('/healthz'); // start the isolate before measuring
    const baseline = await medianOf('/robots.txt', 50);
    console.log(`no-I/O route through the harness: ${fmt(baseline)} median`);

    heading('Round trips per request (stand-in request counters)');
    console.log('route                          | cache | Neon | Upstash');
    for (const path of routes) {
      await dropCache();
      for (const expected of ['MISS', 'HIT']) {
        stack.neon.resetStats();
        stack.upstash.resetStats();
        const result = await request(path);
        await settle();
        const label = `${path}`.padEnd(30);
        console.log(
          `${label} | ${String(result.cache).padEnd(5)} | ${stack.neon.requestCount()}    | ${stack.upstash.requestCount()}${result.cache === expected ? '' : `  (expected ${expected})`}`,
        );
      }
    }
    console.log('(a miss counts the fill, which runs after the response is sent)');

    heading(
      `Sequential round trips, from latency at 0 and at ${DELAY_MS} ms added per Neon/Upstash request (medians of 15)`,
    );
    console.log('route                          | hit: latency, waits | miss: latency, waits');
    const measure = async (path: string) => {
      const hits: number[] = [];
      const misses: number[] = [];
      for (let i = 0; i < 15; i++) {
        await dropCache();
        misses.push((await request(path)).ms);
        await settle();
        hits.push((await request(path)).ms);
      }
      return {
        hit: percentile(
          hits.sort((a, b) => a - b),
          50,
        ),
        miss: percentile(
          misses.sort((a, b) => a - b),
          50,
        ),
      };
    };
    for (const path of routes) {
      const fast = await measure(path);
      stack.neon.setDelay(DELAY_MS);
      stack.upstash.setDelay(DELAY_MS);
      const slow = await measure(path);
      stack.neon.setDelay(0);
      stack.upstash.setDelay(0);
      const waits = (a: number, b: number) => ((b - a) / DELAY_MS).toFixed(1);
      console.log(
        `${path.padEnd(30)} | ${fmt(slow.hit).padStart(8)}, ${waits(fast.hit, slow.hit)}    | ${fmt(slow.miss).padStart(8)}, ${waits(fast.miss, slow.miss)}`,
      );
    }
    console.log(
      `(waits = (latency at ${DELAY_MS} ms - latency at 0) / ${DELAY_MS} ms: how many network round trips a visitor waits for)`,
    );

    heading(`Throughput on a cache hit: ${CONCURRENCY} connections for ${LOAD_SECONDS} s, no added delay`);
    const origin = await mf.ready;
    const wrk = hasCommand('wrk');
    if (!wrk)
      console.log(
        '(wrk not found: figures come from a Node client, which is itself the bottleneck; apt-get install wrk)',
      );
    for (const path of ['/robots.txt', '/posts/welcome-to-lembas', '/api/posts']) {
      await request(path);
      await settle();
      console.log(
        `${path.padEnd(30)} ${wrk ? await runWrk(new URL(path, origin).toString()) : await runNodeLoad(request, path)}`,
      );
    }
    console.log('(/robots.txt does no I/O: the ceiling of this machine, harness and Worker)');
  } finally {
    await mf.dispose();
    await stack.close();
    await database?.drop();
  }

  heading('CPU of the slow paths (Node, same WebCrypto and libraries as the Worker)');
  const hashRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await hashPassword('benchmark password 123');
    hashRuns.push(performance.now() - started);
  }
  hashRuns.sort((a, b) => a - b);
  console.log(
    `PBKDF2-SHA256, 100,000 iterations: median ${fmt(percentile(hashRuns, 50))} per hash (Workers Free allows 10 ms CPU per request)`,
  );
  const cases: [string, string][] = [
    ['seed post (~1 KB)', readFileSync(new URL('../dev/seed/posts.ts', import.meta.url), 'utf8').slice(0, 1200)],
    [
      'prose, 195 KB',
      ('Lorem ipsum dolor *sit* amet, **consectetur** adipiscing `elit`. '.repeat(20) + '\n\n').repeat(150),
    ],
    ['adversarial emphasis, 190 KB', ('_a'.repeat(500) + '\n\n').repeat(190)],
  ];
  for (const [name, source] of cases) {
    const started = performance.now();
    renderMarkdown(source);
    console.log(`markdown render, ${name}: ${fmt(performance.now() - started)} (once, at save time)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// `npm run bench`: builds the Worker bundle and runs it in Miniflare (never `wrangler dev`, whose proxy costs ~6x
// the CPU) over the local stand-ins, beside a ceiling Worker (bench/ceiling-worker.js) that does the least any Worker
// could for the same answers. Prints round trips, latency under injected delay, load figures as ratios to the
// ceiling with workerd CPU per request, embedded against real Redis, consistency and faults under load, bundle and
// cold start, memory, and the CPU of the slow paths; writes bench/results.json and the README's table.
import { neonConfig } from '@neondatabase/serverless';
import { Redis } from '@upstash/redis';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Readable } from 'node:stream';
import { cpus } from 'node:os';
import { cacheKeys } from '../lib/cache-keys';
import { Miniflare } from 'miniflare';
import { hashPassword } from '../lib/auth/password';
import { issueAccessToken } from '../lib/auth/tokens';
import type { Deps } from '../lib/context';
import { insertPost } from '../lib/db/posts';
import { loadPostPage } from '../lib/post-page';
import { listTags } from '../lib/db/tags';
import { renderMarkdown } from '../lib/markdown';
import { renderMarkdownNow } from '../lib/markdown-engine';
import { useLocalTextTools } from '../lib/text';
import { buildTextWorker, TEXT_SERVICE_BINDING, textWorkerOptions } from '../dev/text-worker';
import { localTextTools } from '../lib/text/local';
import { copyStaticAssets } from '../dev/assets';
import { seedIfEmpty } from '../dev/seed';
import { startStack, type Stack } from '../dev/stack';
import { startUpstashRest, type StandIn } from '../dev/standins/upstash-rest';
import { startWorkersCache, type WorkersCacheStandIn } from '../dev/standins/workers-cache';
import { freePort } from '../dev/ports';
import { insertUser } from '../lib/db/users';
import { ceilingPageKey, storeCeilingPage } from './ceiling';
import { createTestDatabase } from '../dev/test-database';
import { fanoutBench } from './fanout';
import { startFaultProxy } from './fault-proxy';
import { seedLongPosts } from './long-post';
import { inspector, liveHeapBytes, retainedHeapBytes } from './inspector';
import { childProcesses, cpuMs, hasCommand, loadTest, mainThreadCpuMs, rssKiB, type LoadResult } from './measure';
import { Results } from './results';
import { reportBundle } from './bundle-size';
import { buildBenchWorker, COMPATIBILITY_DATE, OUT_DIR, wrangler, type BenchWorker } from './wrangler';
import { workerModules } from '../dev/wrangler';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 20);
// Per route and run: three seconds in three passes. This VM's speed moves by up to a quarter within seconds (a fixed
// loop, timed back to back, took 23 to 29 ms), so a ratio is taken within each pass and the median pass kept
// (judgePhase), and the bounds are judged on the median of the runs (RUNS).
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const LOAD_PASSES = Number(process.env.BENCH_PASSES ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
/**
 * Full load runs (every route in every pass, the misses, fresh workerd processes for the Worker and the ceiling), each
 * judged on its own; a bound is held to the median run (BENCH_RUNS=5 or `npm run bench -- --runs 5`; five by
 * default). A run's ratios move with whatever else the machine is doing; the median of five does not follow one.
 */
const RUNS = Math.max(1, Number(argument('--runs') ?? process.env.BENCH_RUNS ?? 5));
const MEMORY_REQUESTS = 50_000;
// The bench renders its seeded posts in Node, where there is no service binding to the text Worker.
useLocalTextTools(localTextTools);

// BENCH_ONLY=load|cold|memory|edge|fanout: one section on the embedded stand-ins, for iterating (nothing is written).
const ONLY = process.env.BENCH_ONLY as 'load' | 'cold' | 'memory' | 'edge' | 'fanout' | undefined;
/** Subscribers of the newsletter fan-out figure. */
const FANOUT_SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const NAMESPACE = `bench${Date.now()}`;
const TOKEN = 'bench-token';
const JWT_SECRET = 'b'.repeat(32);

const results = new Results();
/** A browser's User-Agent: its post page views are counted (wrk sends none, which counts as a tool). */
const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

const benchStarted = performance.now();

/** `--name value` or `--name=value` from the command line. */
function argument(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (at < 0) return undefined;
  return args[at]!.includes('=') ? args[at]!.slice(name.length + 1) : args[at + 1];
}

/** A section's title, with the time so far: the whole bench is meant to take under five minutes. */
function heading(text: string): void {
  console.log(`\n## ${text} (at ${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Miniflare instance and the workerd processes it started (whose CPU and memory are the Worker's). */
interface Instance {
  mf: Miniflare;
  origin: URL;
  pids: number[];
}

// No Static Assets router in front of either Worker: Miniflare runs it in the same workerd (~0.28 ms of CPU per
// request here), while on Cloudflare it is the platform's, not billed to the Worker. No measured route is a file.
async function startInstance(
  scriptPath: string,
  bindings: Record<string, string>,
  { inspectorPort, port, text = true }: { inspectorPort?: number; port?: number; text?: boolean } = {},
): Promise<Instance> {
  const before = new Set(childProcesses('workerd'));
  const isLembas = !Object.values(benchWorkers).some((worker) => worker.bundle === scriptPath);
  // The blog Worker's writes render through the text Worker (wrangler.toml's TEXT), run beside it in the same
  // workerd; `text: false` leaves it out, as a reader's isolate on Cloudflare never starts it.
  const withText = isLembas && text;
  const mf = new Miniflare({
    inspectorPort,
    port,
    // The Worker logs every failure it absorbs (the fault runs make thousands); the counts are what the bench shows.
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume();
      stderr.resume();
    },
    workers: [
      {
        name: isLembas ? 'lembas' : 'ceiling',
        ...workerModules(scriptPath),
        compatibilityDate: COMPATIBILITY_DATE,
        bindings,
        // The Worker's R2 bucket for images (wrangler.toml's MEDIA), local to Miniflare; the ceiling gets one too,
        // so the two instances differ only in their script.
        r2Buckets: ['MEDIA'],
        serviceBindings: withText ? TEXT_SERVICE_BINDING : undefined,
      },
      ...(withText ? [textWorkerOptions(textWorkerScript())] : []),
    ],
  });
  const origin = await mf.ready;
  return { mf, origin, pids: childProcesses('workerd').filter((pid) => !before.has(pid)) };
}

/** The bench's own Workers, built once at the start (bench/wrangler.ts). */
const benchWorkers = {} as Record<BenchWorker, { bundle: string; config: string }>;
const ceilingBundle = () => benchWorkers.ceiling.bundle;
let textWorkerPath: string | undefined;
/** The text Worker's script, built on first use as `npm run deploy` builds it. */
const textWorkerScript = () => (textWorkerPath ??= buildTextWorker(`${OUT_DIR}text/`, { minify: true }));

function lembasBindings(
  stack: Stack,
  upstashUrl: string,
  neonUrl = stack.neon.url,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...stack.workerVars,
    NEON_FETCH_ENDPOINT: neonUrl,
    UPSTASH_REDIS_REST_URL: upstashUrl,
    JWT_SECRET,
    CACHE_NAMESPACE: NAMESPACE,
    SITE_URL: 'http://localhost',
    ...extra,
  };
}

async function get(origin: URL, path: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await fetch(new URL(path, origin), { headers });
  const body = await response.text();
  return {
    ms: performance.now() - started,
    status: response.status,
    cache: response.headers.get('x-cache'),
    etag: response.headers.get('etag'),
    retryAfter: response.headers.get('retry-after'),
    body,
    type: response.headers.get('content-type'),
    edge: response.headers.get('cf-cache-status'),
  };
}

/** The Worker fills the cache after responding; let that finish before the next measurement. */
const settle = () => sleep(50);

async function reachable(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    socket.setTimeout(500);
    socket.on('connect', () => resolve(true));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => resolve(false));
  }).finally(() => undefined) as Promise<boolean>;
}

const MISSES = 100;
// Misses are read in batches of MISSES: the first runs cold code; V8 keeps tiering the miss path up over the next
// hundred or two (batches of 60 cost less each time until the third), so the warm figure, the
// one held to the target like every hit figure, is the mean of the last two batches.
const MISS_BATCHES = 4;

interface Demo {
  small: string;
  big: string;
  /** Copies of the big post, each read once for the miss figure. */
  missSlugs: string[];
  /** The Neon request (body and headers, as JSON) the Worker sends on a miss of the big post's page. */
  missBatch: string;
  tag: string;
  author: { id: number; role: 'author' };
  /** The site's admin, who edits through the API in the edge tier's consistency run. */
  admin: { id: number; role: 'admin' };
}

/** The demo content plus what the figures need: a ~27 KB post (and copies to miss), and an author to write with. */
async function seed(stack: Stack): Promise<Demo> {
  await seedIfEmpty(stack.sql);
  const big = `bench-long-post-${NAMESPACE}`;
  const missSlugs = Array.from({ length: MISS_BATCHES * MISSES }, (_, i) => `${big}-${i}`);
  const author = await seedLongPosts(stack, `bench_${NAMESPACE}`, [big, ...missSlugs]);
  const tags = await listTags(stack.sql);
  const admin = await insertUser(stack.sql, {
    email: `admin_${NAMESPACE}@example.com`,
    username: `admin_${NAMESPACE}`.slice(0, 32),
    displayName: 'Bench Admin',
    role: 'admin',
    passwordHash: await hashPassword('bench admin password, not used', { iterations: 1000 }),
  });
  return {
    small: 'welcome-to-lembas',
    big,
    missSlugs,
    missBatch: await postPageBatch(stack, big),
    tag: tags[0]?.slug ?? 'edge',
    author: { id: author.id, role: 'author' },
    admin: { id: admin.id, role: 'admin' },
  };
}

/** The Neon request a post page's miss sends, captured from the Worker's own code, for the ceiling to replay. */
async function postPageBatch(stack: Stack, slug: string): Promise<string> {
  const { fetchFunction } = neonConfig;
  let captured: { body: string; headers: unknown } | undefined;
  neonConfig.fetchFunction = (url: string, init: RequestInit) => {
    captured = { body: String(init.body), headers: init.headers };
    return fetch(url, init);
  };
  try {
    // Only what the page's load reads: the database, and the wrangler vars its settings default to.
    const config = { SITE_NAME: 'lembas', SITE_DESCRIPTION: 'Notes from the edge.' };
    await loadPostPage({ sql: stack.sql, sqlRead: stack.sql, metric: () => {}, config } as unknown as Deps, slug);
  } finally {
    neonConfig.fetchFunction = fetchFunction;
  }
  if (!captured) throw new Error('loadPostPage sent no Neon request');
  return JSON.stringify(captured);
}

/** The ceiling's copy of a post page (bench/ceiling.ts), for its `/raw/` route. */
const ceilingRaw = (slug: string) => `/raw/${encodeURIComponent(ceilingPageKey(NAMESPACE, slug))}`;

interface Phase {
  label: string;
  figures: Map<string, LoadResult>;
  /** Each load figure's runs, one per pass, in pass order. */
  passes: Map<string, LoadResult[]>;
}

/**
 * Every run reads each copy of the big post once as a miss: the fills of an earlier run (and the ceiling's writes)
 * are dropped first, so that each run's misses are misses.
 */
async function forgetMisses(upstash: StandIn, demo: Demo, label: string): Promise<void> {
  const redis = new Redis({ url: upstash.url, token: TOKEN, retry: false, enableAutoPipelining: false });
  const keys = demo.missSlugs.flatMap((slug) => {
    const page = `${NAMESPACE}:${cacheKeys.response('post', slug).key}`;
    return [page, `${page}#lease`, ceilingMissKey(label, slug)];
  });
  for (let at = 0; at < keys.length; at += 100) await redis.del(...keys.slice(at, at + 100));
}

const ceilingMissKey = (label: string, slug: string) => `${NAMESPACE}:ceiling:${label}:${slug}`;

/** Runs of equal length as one: requests and CPU add up; latency percentiles are the worse of the runs. */
function combine(results: LoadResult[]): LoadResult {
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const cpu = results.reduce((sum, r) => sum + r.cpuMsPerRequest * r.requests, 0);
  const standInCpu = results.reduce((sum, r) => sum + r.standInCpuMsPerRequest * r.requests, 0);
  return {
    requests,
    rps: results.reduce((sum, r) => sum + r.rps, 0) / results.length,
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    socketErrors: results.reduce((sum, r) => sum + r.socketErrors, 0),
    cpuMsPerRequest: requests > 0 ? cpu / requests : NaN,
    standInCpuMsPerRequest: requests > 0 ? standInCpu / requests : NaN,
  };
}

/** One backend's load figures: the ceiling's and the Worker's, every route under the same wrk settings. */
async function loadPhase(label: string, stack: Stack, upstash: StandIn, demo: Demo, bundle: string): Promise<Phase> {
  const figures = new Map<string, LoadResult>();
  const runs = new Map<string, LoadResult[]>();
  await forgetMisses(upstash, demo, label);
  const lembas = await startInstance(bundle, lembasBindings(stack, upstash.url));
  const ceiling = await startInstance(ceilingBundle(), {
    UPSTASH_URL: upstash.url,
    UPSTASH_TOKEN: TOKEN,
    NEON_URL: stack.neon.url,
    NEON_BATCH: demo.missBatch,
  });
  try {
    const pages = {
      small: `/posts/${demo.small}`,
      big: `/posts/${demo.big}`,
    };
    const warm = ['/robots.txt', pages.small, pages.big, '/', `/tags/${demo.tag}`];
    const api = [`/api/posts/by-slug/${demo.small}`, '/api/posts'];
    for (const path of [...warm, ...api]) await get(lembas.origin, path);
    await settle();
    const bigPage = await get(lembas.origin, pages.big);
    const smallPage = await get(lembas.origin, pages.small);
    // The ceiling reads the very pages the Worker serves, stored as a lean Worker would store them.
    for (const [slug, page] of [
      [demo.small, smallPage],
      [demo.big, bigPage],
    ] as const) {
      await storeCeilingPage({ url: upstash.url, token: TOKEN }, ceilingPageKey(NAMESPACE, slug), page);
    }
    console.log(
      `${label}: pages of ${(smallPage.body.length / 1024).toFixed(1)} KB and ${(bigPage.body.length / 1024).toFixed(1)} KB`,
    );
    // Each Worker route runs right after the ceiling route it is compared with, so a ratio's two runs are adjacent.
    const routes: [string, Instance, string, Record<string, string>?][] = [
      ['ceiling: no I/O', ceiling, '/'],
      ['no I/O: /robots.txt', lembas, '/robots.txt'],
      ['ceiling: raw fetch, small page', ceiling, ceilingRaw(demo.small)],
      ['post page, small, HIT', lembas, pages.small],
      ['home page, HIT', lembas, '/'],
      [`tag page, HIT`, lembas, `/tags/${demo.tag}`],
      ['API post, HIT', lembas, api[0]!],
      ['API list, HIT', lembas, api[1]!],
      ['ceiling: raw fetch, 27 KB page', ceiling, ceilingRaw(demo.big)],
      ['post page, 27 KB, HIT', lembas, pages.big],
      ['post page, 27 KB, 304', lembas, pages.big, { 'If-None-Match': bigPage.etag ?? '' }],
    ];
    // Several passes over every route, each run as long as a pass's share: a drift of the machine during a phase then
    // falls on the ceiling and the Worker alike, instead of on whichever ran later. A figure combines its runs; a
    // ratio is the median pass's (judgePhase).
    for (let pass = 0; pass < LOAD_PASSES; pass++) {
      for (const [name, instance, path, headers] of routes) {
        const result = await loadTest(new URL(path, instance.origin).toString(), instance.pids, {
          seconds: LOAD_SECONDS / LOAD_PASSES,
          connections: CONCURRENCY,
          headers,
        });
        runs.set(name, [...(runs.get(name) ?? []), result]);
      }
    }
    for (const [name] of routes) {
      const result = combine(runs.get(name)!);
      figures.set(name, result);
      console.log(
        `${name.padEnd(32)} ${result.rps.toFixed(0).padStart(6)} req/s  ${result.cpuMsPerRequest.toFixed(3)} ms CPU/req (stand-ins ${result.standInCpuMsPerRequest.toFixed(3)})  p50 ${fmt(result.p50Ms)}  p99 ${fmt(result.p99Ms)}  non-2xx/3xx ${result.non2xx}`,
      );
    }
    // Misses: each copy of the big post read once, five at a time, fills included (they finish before the count).
    // The first batch runs the miss path's code for the first time in this isolate (the load runs above only hit);
    // the later ones show it warming (MISS_BATCHES). Each batch is followed by one of the ceiling's: the same three
    // exchanges (the read that misses, the same Neon batch, the write of as many bytes) and nothing else.
    const missBatch = async (
      instance: Instance,
      paths: string[],
      check: (response: { status: number; cache: string | null }) => void,
    ) => {
      const before = cpuMs(instance.pids);
      const mainBefore = mainThreadCpuMs(instance.pids);
      const queue = [...paths];
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          for (let path = queue.pop(); path; path = queue.pop()) check(await get(instance.origin, path));
        }),
      );
      await sleep(100);
      return {
        cpu: (cpuMs(instance.pids) - before) / paths.length,
        mainThread: (mainThreadCpuMs(instance.pids) - mainBefore) / paths.length,
      };
    };
    const measured: { cpu: number; mainThread: number }[] = [];
    const ceilingBatches: number[] = [];
    for (let i = 0; i < MISS_BATCHES; i++) {
      const slugs = demo.missSlugs.slice(i * MISSES, (i + 1) * MISSES);
      measured.push(
        await missBatch(
          lembas,
          slugs.map((slug) => `/posts/${slug}`),
          (response) => {
            if (response.cache !== 'MISS') throw new Error(`expected a MISS, got ${response.cache}`);
          },
        ),
      );
      const ceilingPaths = slugs.map((slug) => `/miss/${encodeURIComponent(ceilingMissKey(label, slug))}`);
      const ceilingBatch = await missBatch(ceiling, ceilingPaths, (response) => {
        if (response.status !== 200) throw new Error(`the ceiling's miss answered ${response.status}`);
      });
      ceilingBatches.push(ceilingBatch.cpu);
    }
    const batches = measured.map((batch) => batch.cpu);
    const firstCpu = batches[0]!;
    const warmOf = (values: number[]) => (values.at(-1)! + values.at(-2)!) / 2;
    const warmCpu = warmOf(batches);
    const miss = {
      requests: MISSES,
      rps: NaN,
      p50Ms: NaN,
      p99Ms: NaN,
      non2xx: 0,
      socketErrors: 0,
      standInCpuMsPerRequest: NaN,
    };
    figures.set('post page, 27 KB, first MISSes', { ...miss, cpuMsPerRequest: firstCpu });
    figures.set('post page, 27 KB, MISS', { ...miss, requests: 2 * MISSES, cpuMsPerRequest: warmCpu });
    figures.set("ceiling: a miss's I/O", { ...miss, requests: 2 * MISSES, cpuMsPerRequest: warmOf(ceilingBatches) });
    console.log(
      `${'post page, 27 KB, MISS'.padEnd(32)}  ${warmCpu.toFixed(3)} ms CPU/req warm; by batch of ${MISSES}: ${batches.map((ms) => ms.toFixed(2)).join(', ')} ms`,
    );
    // The rest is V8 compiling and collecting on its own threads, which is where most of the batches' spread is.
    console.log(
      `${''.padEnd(32)}  of which workerd's main thread (the Worker's JavaScript): ${measured.map((batch) => batch.mainThread.toFixed(2)).join(', ')} ms`,
    );
    console.log(
      `${"ceiling: a miss's I/O".padEnd(32)}  ${warmOf(ceilingBatches).toFixed(3)} ms CPU/req warm; by batch: ${ceilingBatches.map((ms) => ms.toFixed(2)).join(', ')} ms`,
    );
  } finally {
    await Promise.all([lembas.mf.dispose(), ceiling.mf.dispose()]);
  }
  return { label, figures, passes: runs };
}

const INSPECTOR_PORT = Number(process.env.BENCH_INSPECTOR_PORT ?? 9240);

/**
 * Memory over 50,000 requests of a warmed isolate: what its heap retains, after forced full collections once the
 * requests are done (through the inspector, so garbage not yet collected is not counted as growth), and the workerd
 * process's RSS beside it.
 */
async function memoryCheck(stack: Stack, bundle: string, path: string): Promise<void> {
  const lembas = await startInstance(bundle, lembasBindings(stack, stack.upstash.url), {
    inspectorPort: INSPECTOR_PORT,
  });
  const session = await inspector(INSPECTOR_PORT);
  let deadline = 0;
  const url = new URL(path, lembas.origin).toString();
  try {
    await loadTest(url, lembas.pids, { seconds: 2, connections: CONCURRENCY }); // warm: JIT, router, clients
    // And the modules a read loads on first use: Neon's driver comes with the first query, which for a cached page
    // is the refresh once its entry goes stale, during the count. A module loaded once is not growth; a leak is.
    await get(lembas.origin, `/posts/memory-warm-${Date.now()}`);
    const heapBefore = await retainedHeapBytes(session);
    const rssBefore = rssKiB(lembas.pids);
    let served = 0;
    // Capped at a minute, so a busy machine cannot push the bench past five minutes; the count says how many ran.
    deadline = performance.now() + 60_000;
    // The live heap after each stretch, printed: a leak climbs stretch after stretch, a module loaded once steps once.
    const stretches: string[] = [];
    while (served < MEMORY_REQUESTS && performance.now() < deadline) {
      served += (await loadTest(url, lembas.pids, { seconds: 5, connections: CONCURRENCY })).requests;
      stretches.push(`${served}: ${((await liveHeapBytes(session)) / 2 ** 20).toFixed(2)}`);
    }
    console.log(`live heap (MiB) after each stretch of requests: ${stretches.join(', ')}`);
    const heapAfter = await retainedHeapBytes(session);
    const rssAfter = rssKiB(lembas.pids);
    const mib = (bytes: number) => bytes / 2 ** 20;
    const growth = (heapAfter - heapBefore) / heapBefore;
    results.add('memory', 'isolate live heap before', mib(heapBefore), 'MiB');
    results.add('memory', `isolate live heap after ${served} more requests`, mib(heapAfter), 'MiB');
    results.target(
      'memory',
      `isolate heap growth over ${served} requests (50,000 wanted)`,
      growth * 100,
      '%',
      '<=',
      10,
    );
    console.log(
      `lembas, ${served} requests: isolate live heap ${mib(heapBefore).toFixed(2)} -> ${mib(heapAfter).toFixed(2)} MiB (${(growth * 100).toFixed(1)}%); workerd RSS ${(rssBefore / 1024).toFixed(1)} -> ${(rssAfter / 1024).toFixed(1)} MiB`,
    );
    // The process, for comparison: raw-fetch reads through the ceiling Worker, as many or 15 s of them (the bench
    // must stay under five minutes; its count is printed).
    const ceiling = await startInstance(ceilingBundle(), { UPSTASH_URL: stack.upstash.url, UPSTASH_TOKEN: TOKEN });
    try {
      const slug = path.slice('/posts/'.length);
      const page = await get(lembas.origin, path);
      await storeCeilingPage({ url: stack.upstash.url, token: TOKEN }, ceilingPageKey(NAMESPACE, slug), page);
      const rawUrl = new URL(ceilingRaw(slug), ceiling.origin);
      await loadTest(rawUrl.toString(), ceiling.pids, { seconds: 2, connections: CONCURRENCY });
      const ceilingBefore = rssKiB(ceiling.pids);
      let ceilingServed = 0;
      const ceilingDeadline = performance.now() + 15_000;
      while (ceilingServed < served && performance.now() < ceilingDeadline) {
        ceilingServed += (await loadTest(rawUrl.toString(), ceiling.pids, { seconds: 5, connections: CONCURRENCY }))
          .requests;
      }
      const ceilingAfter = rssKiB(ceiling.pids);
      results.add('memory', 'workerd RSS growth, lembas', ((rssAfter - rssBefore) / rssBefore) * 100, '%');
      results.add(
        'memory',
        'workerd RSS growth, ceiling Worker',
        ((ceilingAfter - ceilingBefore) / ceilingBefore) * 100,
        '%',
      );
      console.log(
        `ceiling, ${ceilingServed} requests: workerd RSS ${(ceilingBefore / 1024).toFixed(1)} -> ${(ceilingAfter / 1024).toFixed(1)} MiB (the runtime's own growth, for comparison)`,
      );
    } finally {
      await ceiling.mf.dispose();
    }
  } finally {
    session.close();
    await lembas.mf.dispose();
  }
}

interface Judged {
  name: string;
  unit: string;
  value: number;
  bound?: { op: '<=' | '>='; limit: number };
}

/** One run's figures and ratios; every bound is relative to the ceiling (or floor) measured in the same run. */
function judgePhase(phase: Phase): Judged[] {
  const f = (name: string) => phase.figures.get(name)!;
  const group = `load (${phase.label})`;
  const judged: Judged[] = [];
  for (const [name, result] of phase.figures) {
    if (Number.isFinite(result.rps)) judged.push({ name: `${name}: req/s`, value: result.rps, unit: 'req/s' });
    judged.push({ name: `${name}: CPU per request`, value: result.cpuMsPerRequest, unit: 'ms' });
  }
  // A ratio is taken within each pass, where a route and the route it is compared with ran minutes apart at most,
  // and the median pass is kept: a stall of this VM lands in one pass (the no-I/O ceiling's p99 has reached
  // hundreds of ms), and a pooled figure would carry it into the ratio.
  const perPass = (route: string, base: string, of: (run: LoadResult) => number) => {
    const bases = phase.passes.get(base)!;
    const ratios = phase.passes.get(route)!.map((run, i) => of(run) / of(bases[i]!));
    console.log(`${group}: ${route} / ${base}, by pass: ${ratios.map((r) => r.toFixed(3)).join(', ')}`);
    return median(ratios);
  };
  const rate = (route: string, base: string) => perPass(route, base, (run) => run.rps);
  const cpu = (route: string, base: string) =>
    phase.passes.has(route)
      ? perPass(route, base, (run) => run.cpuMsPerRequest)
      : f(route).cpuMsPerRequest / f(base).cpuMsPerRequest;
  const bound = (name: string, value: number, op: '<=' | '>=', limit: number) =>
    judged.push({ name, value, unit: 'x', bound: { op, limit } });
  bound('small post HIT req/s / ceiling', rate('post page, small, HIT', 'ceiling: raw fetch, small page'), '>=', 0.85);
  bound('27 KB post HIT req/s / ceiling', rate('post page, 27 KB, HIT', 'ceiling: raw fetch, 27 KB page'), '>=', 0.85);
  bound('27 KB post HIT CPU / ceiling', cpu('post page, 27 KB, HIT', 'ceiling: raw fetch, 27 KB page'), '<=', 1.2);
  bound('no-I/O route CPU / ceiling no-I/O', cpu('no I/O: /robots.txt', 'ceiling: no I/O'), '<=', 1.3);
  const missPerRead = cpu('post page, 27 KB, MISS', 'ceiling: raw fetch, 27 KB page');
  judged.push({ name: '27 KB post MISS CPU / ceiling 27 KB read CPU', value: missPerRead, unit: 'x' });
  // The ceiling's miss is the same three exchanges (the read that misses, the Neon batch, the write) and nothing
  // else, run right after each batch of the Worker's misses.
  const missPerCeiling = cpu('post page, 27 KB, MISS', "ceiling: a miss's I/O");
  bound("27 KB post MISS CPU / ceiling miss's I/O CPU", missPerCeiling, '<=', 1.3);
  console.log(
    `${group}: a warm miss costs ${missPerRead.toFixed(2)}x the ceiling's read of the same page, ${missPerCeiling.toFixed(2)}x the ceiling's miss (its three exchanges alone)`,
  );
  bound('27 KB post 304 CPU / HIT CPU', cpu('post page, 27 KB, 304', 'post page, 27 KB, HIT'), '<=', 1);
  for (const route of ['home page, HIT', 'tag page, HIT', 'API list, HIT']) {
    bound(`${route} CPU / small post HIT CPU`, cpu(route, 'post page, small, HIT'), '<=', 1.2);
  }
  return judged;
}

/**
 * Records a backend's runs: each figure and ratio is the median of the runs' (a bound is judged on that median), and
 * each ratio's value in every run is printed beside it.
 */
function recordRuns(phases: Phase[]): void {
  const group = `load (${phases[0]!.label})`;
  const runs = phases.map(judgePhase);
  for (const [i, first] of runs[0]!.entries()) {
    const values = runs.map((run) => run[i]!.value);
    const value = median(values);
    if (!first.bound) {
      results.add(group, first.name, value, first.unit);
      continue;
    }
    results.target(group, first.name, value, first.unit, first.bound.op, first.bound.limit);
    if (runs.length > 1) {
      console.log(
        `${group}: ${first.name}: median ${value.toFixed(3)} (${first.bound.op} ${first.bound.limit}) of runs ${values.map((v) => v.toFixed(3)).join(', ')}`,
      );
    }
  }
}

/** Each run's embedded phase against the real-Redis phase that followed it; the median run's ratio is judged. */
function compareBackends(embedded: Phase[], real: Phase[]): void {
  for (const [name, result] of embedded[0]!.figures) {
    if (name.startsWith('ceiling') || !name.includes('HIT') || !Number.isFinite(result.rps)) continue;
    const ratios = embedded.map((phase, i) => phase.figures.get(name)!.rps / real[i]!.figures.get(name)!.rps);
    const name_ = `${name}: embedded req/s / real Redis req/s`;
    results.target('embedded vs real Redis', name_, median(ratios), 'x', '>=', 0.8);
  }
}

/** One writer edits a post 200 times while 20 readers read it; a read that started after an acknowledged write and
 * shows an older version is stale. Latency of 5-20 ms is injected at both stand-ins throughout. */
async function consistency(stack: Stack, upstash: StandIn, bundle: string, demo: Demo): Promise<void> {
  const lembas = await startInstance(bundle, lembasBindings(stack, upstash.url));
  const slug = `bench-consistency-${NAMESPACE}`;
  const rendered = await renderMarkdown('Edited under load.');
  const { id } = await insertPost(stack.sql, {
    slug,
    title: 'v1',
    markdown: 'Edited under load.',
    ...rendered,
    status: 'published',
    publishedAt: new Date(Date.now() - 86_400_000 * 500).toISOString(),
    authorId: demo.author.id,
    tags: [],
  });
  const authorization = `Bearer ${await issueAccessToken(JWT_SECRET, demo.author)}`;
  const jitter = setInterval(() => {
    stack.neon.setDelay(5 + Math.random() * 15);
    upstash.setDelay(5 + Math.random() * 15);
  }, 5);
  let acknowledged = 1;
  let writing = true;
  let reads = 0;
  let stale = 0;
  let errors = 0;
  const started = performance.now();
  try {
    const writer = (async () => {
      for (let version = 1; version <= 200; version++) {
        const response = await fetch(new URL(`/api/posts/${id}`, lembas.origin), {
          method: 'PATCH',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `v${version + 1}`, version }),
        });
        if (response.status !== 200) throw new Error(`PATCH answered ${response.status}: ${await response.text()}`);
        acknowledged = ((await response.json()) as { version: number }).version;
      }
      writing = false;
    })();
    const readers = Array.from({ length: 20 }, async () => {
      while (writing) {
        const floor = acknowledged;
        const response = await fetch(new URL(`/api/posts/by-slug/${slug}`, lembas.origin));
        reads += 1;
        if (response.status !== 200) {
          errors += 1;
          await response.body?.cancel();
          continue;
        }
        if (((await response.json()) as { version: number }).version < floor) stale += 1;
      }
    });
    await Promise.all([writer, ...readers]);
  } finally {
    writing = false;
    clearInterval(jitter);
    stack.neon.setDelay(0);
    upstash.setDelay(0);
    await lembas.mf.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `200 versioned PATCHes, ${reads} reads by 20 readers in ${seconds.toFixed(1)} s: ${stale} stale, ${errors} errors`,
  );
  results.add('consistency', 'reads during 200 writes', reads, 'reads');
  results.target('consistency', 'stale reads', stale, 'reads', '<=', 0);
  results.target('consistency', 'failed reads', errors, 'reads', '<=', 0);
}

/** The clock the Workers Cache stand-in and the bench's readers share: purge completions and request starts. */
const clock = () => performance.timeOrigin + performance.now();

const EDGE_VIEWS = 1000;
const EDGE_READERS = 20;
const EDGE_WRITES = Number(process.env.BENCH_EDGE_WRITES ?? 20);
/** The writer's pause before each edit, so that readers see each edition (the Free tier allows 25 purges at once). */
const EDGE_WRITE_PAUSE_MS = Number(process.env.BENCH_EDGE_WRITE_PAUSE_MS ?? 100);

/** A browser of its own per index: its own address (documentation range, sent only as a header) and a reader's agent. */
const browser = (i: number) => ({
  'User-Agent': READER_AGENT,
  'CF-Connecting-IP': `2001:db8::${(i + 1).toString(16)}`,
});

/** `count` tasks, `width` at a time. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) out[i] = await task(i);
    }),
  );
  return out;
}

/** A figure's goal and whether it is met, for the line that prints it (the Targets table repeats it). */
const goal = (value: number, op: '<=' | '>=', limit: number) =>
  `(goal ${op} ${limit}: ${(op === '<=' ? value <= limit : value >= limit) ? 'met' : 'NOT met'})`;

const tally = (values: (string | null)[]) =>
  values.reduce<Record<string, number>>((counts, value) => {
    counts[value ?? 'none'] = (counts[value ?? 'none'] ?? 0) + 1;
    return counts;
  }, {});

/**
 * Issue 21 section 4: the built Worker in Miniflare, as everywhere in the bench, behind the Workers Cache stand-in
 * (dev/standins/workers-cache.ts), which the Worker purges through its channel (CACHE_PURGE_URL) as it would call
 * ctx.cache.purge(). The stand-in applies the Free tier's purge rate, as Workers Caching does.
 */
async function edgeTier(stack: Stack, bundle: string, demo: Demo): Promise<void> {
  const workerPort = await freePort();
  const edge = await startWorkersCache({ origin: `http://127.0.0.1:${workerPort}`, now: clock });
  const lembas = await startInstance(
    bundle,
    lembasBindings(stack, stack.upstash.url, stack.neon.url, { CACHE_PURGE_URL: edge.purgeUrl }),
    { port: workerPort },
  );
  try {
    await hotPost(edge, new URL(edge.url), lembas, stack, demo);
    await edgeConsistency(edge, new URL(edge.url), stack, demo);
  } finally {
    await lembas.mf.dispose();
    await edge.close();
  }
}

/**
 * (a) An anonymous hot post: its first view runs the Worker (MISS, one Upstash request, one Neon batch); the next
 * 1,000, each from a browser of its own, are counted at the stand-in (Worker invocations: its requests to the Worker)
 * and at the Upstash stand-in (its request counter), with workerd's CPU beside them. Then each of those browsers
 * sends the page's view beacon (POST /api/posts/by-slug/{slug}/views, never cached), counted apart.
 */
async function hotPost(edge: WorkersCacheStandIn, front: URL, lembas: Instance, stack: Stack, demo: Demo) {
  const path = `/posts/${demo.big}`;
  edge.resetStats();
  stack.upstash.resetStats();
  const first = await get(front, path, browser(0));
  await settle();
  const firstCounts = { invocations: edge.stats().originRequests, upstash: stack.upstash.requestCount() };
  const before = {
    invocations: edge.stats().originRequests,
    upstash: stack.upstash.requestCount(),
    cpu: cpuMs(lembas.pids),
  };
  const views = await inParallel(EDGE_VIEWS, EDGE_READERS, (i) => get(front, path, browser(i + 1)));
  await settle();
  const viewed = {
    invocations: edge.stats().originRequests - before.invocations,
    upstash: stack.upstash.requestCount() - before.upstash,
    cpu: cpuMs(lembas.pids) - before.cpu,
  };
  const wrong = views.filter((view) => view.status !== 200 || view.body !== first.body).length;
  console.log(
    `first view: ${first.edge} (cf-cache-status), ${firstCounts.invocations} Worker invocation, ${firstCounts.upstash} Upstash requests (fill included)`,
  );
  console.log(
    `next ${EDGE_VIEWS} views: cf-cache-status ${JSON.stringify(tally(views.map((view) => view.edge)))}; ${viewed.invocations} Worker invocations ${goal(viewed.invocations, '<=', 0)}, ${viewed.upstash} Upstash requests ${goal(viewed.upstash, '<=', 0)}, ${viewed.cpu.toFixed(1)} ms of workerd CPU in all; ${wrong} not the page the first view got`,
  );

  const beforeBeacons = { invocations: edge.stats().originRequests, upstash: stack.upstash.requestCount() };
  const beacons = await inParallel(EDGE_VIEWS, EDGE_READERS, async (i) => {
    const response = await fetch(new URL(`/api/posts/by-slug/${demo.big}/views`, front), {
      method: 'POST',
      headers: browser(i + 1),
    });
    await response.arrayBuffer();
    return response.status;
  });
  await settle();
  const beaconed = {
    invocations: edge.stats().originRequests - beforeBeacons.invocations,
    upstash: stack.upstash.requestCount() - beforeBeacons.upstash,
  };
  console.log(
    `their ${EDGE_VIEWS} view beacons, counted apart: status ${JSON.stringify(tally(beacons.map(String)))}; ${beaconed.invocations} Worker invocations, ${beaconed.upstash} Upstash requests ${goal(beaconed.upstash / EDGE_VIEWS, '<=', 1)} per beacon`,
  );
  const per1000 = (n: number) => (n * 1000) / EDGE_VIEWS;
  const group = 'edge tier';
  results.target(
    group,
    'hot post: Worker invocations per 1,000 views after the first',
    per1000(viewed.invocations),
    'requests',
    '<=',
    0,
  );
  results.target(
    group,
    'hot post: Upstash requests per 1,000 views after the first',
    per1000(viewed.upstash),
    'requests',
    '<=',
    0,
  );
  results.target(group, "hot post: views answered other than the first view's page", wrong, 'responses', '<=', 0);
  results.add(group, 'hot post: workerd CPU per 1,000 views after the first', per1000(viewed.cpu), 'ms');
  results.add(group, 'view beacon: Worker invocations per 1,000 beacons', per1000(beaconed.invocations), 'requests');
  results.target(group, 'view beacon: Upstash requests per beacon', beaconed.upstash / EDGE_VIEWS, 'requests', '<=', 1);
}

/**
 * (b) Consistency through the edge: an admin edits a post's text through the API (PATCH, through the stand-in: a
 * write is never cached) EDGE_WRITES times while 20 readers read its page through the stand-in without pause.
 *
 * "After a write's purge completes" is measured on one clock (`clock`) shared by the stand-in and the readers: the
 * stand-in records when it applied each purge (dropped the entries); a reader notes when it starts each request,
 * before sending it. A read that started after write n's purge completed must show edition n or a later one; one
 * that shows an older edition is stale. Reads that started after write n was acknowledged but before its purge
 * completed may still get the old copy from the edge: counted apart, as the window the purge's delay leaves open.
 * Purge-to-fresh is the time from a purge's completion to the first response received with that write's text.
 */
async function edgeConsistency(edge: WorkersCacheStandIn, front: URL, stack: Stack, demo: Demo): Promise<void> {
  const slug = `bench-edge-${NAMESPACE}`;
  const text = (edition: number) => `Edition ${edition} of this text.`;
  const editionOf = (body: string) => Number(/Edition (\d+) of this text\./.exec(body)?.[1] ?? NaN);
  const { id } = await insertPost(stack.sql, {
    slug,
    title: 'Edited at the edge',
    markdown: text(1),
    ...(await renderMarkdown(text(1))),
    status: 'published',
    publishedAt: new Date(Date.now() - 86_400_000 * 600).toISOString(),
    authorId: demo.author.id,
    tags: [],
  });
  const path = `/posts/${slug}`;
  const authorization = `Bearer ${await issueAccessToken(JWT_SECRET, demo.admin)}`;
  await get(front, path);
  await settle();
  const statsBefore = edge.stats();
  const ackedAt: number[] = [];
  const purgedAt: number[] = [];
  const reads: { started: number; ended: number; edition: number; status: number }[] = [];
  let writing = true;
  let seen = edge.purges().length;
  const writer = (async () => {
    try {
      let version = 1;
      for (let edition = 2; edition <= EDGE_WRITES + 1; edition++) {
        await sleep(EDGE_WRITE_PAUSE_MS);
        const response = await fetch(new URL(`/api/posts/${id}`, front), {
          method: 'PATCH',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ markdown: text(edition), version }),
        });
        if (response.status !== 200) throw new Error(`PATCH answered ${response.status}: ${await response.text()}`);
        version = ((await response.json()) as { version: number }).version;
        ackedAt[edition] = clock();
        // This write's purge, which runs after the response (waitUntil): the next successful one naming the post.
        const deadline = clock() + 30_000;
        for (;;) {
          const records = edge.purges();
          const at = records.slice(seen).findIndex((r) => r.success && r.request.tags?.includes(`post:${slug}`));
          if (at >= 0) {
            purgedAt[edition] = records[seen + at]!.at;
            seen += at + 1;
            break;
          }
          if (clock() > deadline) throw new Error(`edition ${edition}: no purge within 30 s`);
          await sleep(1);
        }
      }
    } finally {
      writing = false;
    }
  })();
  const readers = Array.from({ length: EDGE_READERS }, async (_, reader) => {
    while (writing) {
      const started = clock();
      const response = await get(front, path, browser(reader));
      reads.push({ started, ended: clock(), edition: editionOf(response.body), status: response.status });
    }
  });
  await Promise.all([writer, ...readers]);
  const editions = Array.from({ length: EDGE_WRITES }, (_, i) => i + 2);
  /** The newest edition whose moment (`at`) came before `time`. */
  const newestBefore = (at: number[], time: number) => editions.filter((n) => at[n]! < time).at(-1) ?? 1;
  let afterPurge = 0;
  let stale = 0;
  let failed = 0;
  let inWindow = 0;
  let oldInWindow = 0;
  for (const read of reads) {
    if (read.status !== 200 || !Number.isFinite(read.edition)) {
      failed += 1;
      continue;
    }
    const purged = newestBefore(purgedAt, read.started);
    const acknowledged = newestBefore(ackedAt, read.started);
    if (purged > 1) afterPurge += 1;
    if (read.edition < purged) stale += 1;
    if (acknowledged > purged) {
      inWindow += 1;
      if (read.edition < acknowledged) oldInWindow += 1;
    }
  }
  const toFresh = editions.map((n) => {
    const fresh = reads.filter((read) => read.edition >= n && read.ended >= purgedAt[n]!);
    return Math.min(...fresh.map((read) => read.ended)) - purgedAt[n]!;
  });
  const ackToPurge = editions.map((n) => purgedAt[n]! - ackedAt[n]!);
  const stats = edge.stats();
  const statuses = Object.fromEntries(
    Object.entries(stats.statuses).map(([status, n]) => [status, n - (statsBefore.statuses[status as never] ?? 0)]),
  );
  console.log(
    `${EDGE_WRITES} edits by PATCH while ${EDGE_READERS} readers read the page through the stand-in: ${reads.length} reads, ${afterPurge} of them started after a purge completed; ${stale} of those returned an older edition ${goal(stale, '<=', 0)}; ${failed} failed`,
  );
  console.log(
    `purge completed, from the writer's receipt of its acknowledgement: median ${fmt(median(ackToPurge))}, max ${fmt(Math.max(...ackToPurge))} (below 0: before the writer had read the response); ${oldInWindow} of the ${inWindow} reads started between the two got the older copy`,
  );
  console.log(
    `purge completed -> first response with the new text: median ${fmt(median(toFresh))}, max ${fmt(Math.max(...toFresh))}; cf-cache-status meanwhile ${JSON.stringify(statuses)}, ${stats.originRequests - statsBefore.originRequests} Worker invocations (the edits included)`,
  );
  const group = 'edge tier';
  results.add(group, 'consistency: reads during the edits', reads.length, 'reads');
  results.add(group, 'consistency: reads started after a purge completed', afterPurge, 'reads');
  results.target(
    group,
    'consistency: reads started after a purge completed that returned older text',
    stale,
    'reads',
    '<=',
    0,
  );
  results.target(group, 'consistency: failed reads', failed, 'reads', '<=', 0);
  results.add(group, 'purge completed, from the acknowledgement: median', median(ackToPurge), 'ms');
  results.add(group, 'purge completed, from the acknowledgement: max', Math.max(...ackToPurge), 'ms');
  results.add(group, 'purge to fresh: median', median(toFresh), 'ms');
  results.add(group, 'purge to fresh: max', Math.max(...toFresh), 'ms');
}

interface FaultCounts {
  requests: number;
  byStatus: Record<string, number>;
  byCache: Record<string, number>;
  retryAfter503: number;
}

/** Readers without pause for `ms`, counting statuses and X-Cache values. */
async function readUnderLoad(origin: URL, paths: string[], ms: number): Promise<FaultCounts> {
  const counts: FaultCounts = { requests: 0, byStatus: {}, byCache: {}, retryAfter503: 0 };
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      while (performance.now() < deadline) {
        const result = await get(origin, paths[i % paths.length]!);
        counts.requests += 1;
        counts.byStatus[result.status] = (counts.byStatus[result.status] ?? 0) + 1;
        counts.byCache[result.cache ?? 'none'] = (counts.byCache[result.cache ?? 'none'] ?? 0) + 1;
        if (result.status === 503 && result.retryAfter) counts.retryAfter503 += 1;
      }
    }),
  );
  return counts;
}

const describeCounts = (c: FaultCounts) =>
  `${c.requests} requests; status ${JSON.stringify(c.byStatus)}; X-Cache ${JSON.stringify(c.byCache)}`;

async function faults(stack: Stack, upstash: StandIn, bundle: string, demo: Demo): Promise<void> {
  const redisProxy = await startFaultProxy(upstash.url);
  const neonProxy = await startFaultProxy(stack.neon.url);
  const lembas = await startInstance(bundle, lembasBindings(stack, redisProxy.url, neonProxy.url));
  const cached = [`/posts/${demo.small}`, '/', `/api/posts/by-slug/${demo.small}`, `/tags/${demo.tag}`];
  const uncached = ['/search?q=edge'];
  try {
    for (const path of cached) await get(lembas.origin, path);
    await settle();
    const before = await readUnderLoad(lembas.origin, cached, 1000);
    console.log(`all up:        ${describeCounts(before)}`);

    redisProxy.setDown(true);
    const cacheDown = await readUnderLoad(lembas.origin, cached, 2000);
    redisProxy.setDown(false);
    console.log(`Upstash down:  ${describeCounts(cacheDown)}`);
    const cacheBack = await readUnderLoad(lembas.origin, cached, 1000);
    console.log(`Upstash back:  ${describeCounts(cacheBack)}`);

    for (const path of cached) await get(lembas.origin, path);
    await settle();
    neonProxy.setDown(true);
    const [dbDownCached, dbDownUncached] = await Promise.all([
      readUnderLoad(lembas.origin, cached, 2000),
      readUnderLoad(lembas.origin, uncached, 2000),
    ]);
    neonProxy.setDown(false);
    console.log(`Neon down, cached pages:   ${describeCounts(dbDownCached)}`);
    console.log(
      `Neon down, uncached pages: ${describeCounts(dbDownUncached)} (${dbDownUncached.retryAfter503} 503s with Retry-After)`,
    );
    const dbBack = await readUnderLoad(lembas.origin, [...cached, ...uncached], 1000);
    console.log(`Neon back:     ${describeCounts(dbBack)}`);

    const non2xx = (c: FaultCounts) => c.requests - (c.byStatus['200'] ?? 0);
    results.add('faults', 'requests while Upstash was down', cacheDown.requests, 'requests');
    results.target('faults', 'Upstash down: non-2xx', non2xx(cacheDown), 'responses', '<=', 0);
    results.target(
      'faults',
      'Upstash down: answers not BYPASS',
      cacheDown.requests - (cacheDown.byCache.BYPASS ?? 0),
      'responses',
      '<=',
      0,
    );
    results.target('faults', 'Upstash back: non-2xx', non2xx(cacheBack), 'responses', '<=', 0);
    results.add('faults', 'requests while Neon was down', dbDownCached.requests + dbDownUncached.requests, 'requests');
    results.target('faults', 'Neon down: cached pages not 200', non2xx(dbDownCached), 'responses', '<=', 0);
    results.target(
      'faults',
      'Neon down: uncached answers other than 503 + Retry-After',
      dbDownUncached.requests - dbDownUncached.retryAfter503,
      'responses',
      '<=',
      0,
    );
    results.target('faults', 'Neon back: non-2xx', non2xx(dbBack), 'responses', '<=', 0);
  } finally {
    await lembas.mf.dispose();
    await Promise.all([redisProxy.close(), neonProxy.close()]);
  }
}

/**
 * Cold start: the CPU a fresh workerd spends up to its first response (parse, compile and evaluate the bundle, then
 * one request), the Worker's minus the ceiling's, from /proc, so a busy machine's waiting is not counted. Both run
 * with the same bindings kind and no static assets, so the difference is the Worker's own code. The text Worker is
 * left out: a reader's request never calls it, and on Cloudflare its isolate starts only for a write.
 */
async function coldStart(stack: Stack, bundle: string): Promise<number> {
  const firstResponseCpu = async (script: string, bindings: Record<string, string>) => {
    const instance = await startInstance(script, bindings, { text: false });
    await (await instance.mf.dispatchFetch('http://localhost/robots.txt')).arrayBuffer();
    const ms = cpuMs(instance.pids);
    await instance.mf.dispose();
    return ms;
  };
  const lembas: number[] = [];
  const ceiling: number[] = [];
  for (let i = 0; i < 5; i++) {
    ceiling.push(await firstResponseCpu(ceilingBundle(), { UPSTASH_URL: stack.upstash.url, UPSTASH_TOKEN: TOKEN }));
    lembas.push(await firstResponseCpu(bundle, lembasBindings(stack, stack.upstash.url)));
  }
  // The least of five: contention on a shared machine only ever adds.
  return Math.min(...lembas) - Math.min(...ceiling);
}

/**
 * Module evaluation alone, as Cloudflare's startup check measures it: `wrangler check startup` profiles a Worker's
 * startup phase in workerd (built minified, as deployed); the CPU is every sample that is not idle. One check of the
 * Worker (no config: wrangler.toml) or of a bench Worker (its config).
 */
function startupCpuMs(config?: string): number {
  const outfile = `${OUT_DIR}startup.cpuprofile`;
  // The build inside the check is a `wrangler deploy` of its own, which takes the config only through --args.
  wrangler(['check', 'startup', '--outfile', outfile, `--args=--minify${config ? ` --config ${config}` : ''}`]);
  const profile = JSON.parse(readFileSync(outfile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return profile.samples.reduce((sum, id, at) => sum + (idle.has(id) ? 0 : (profile.timeDeltas[at] ?? 0)), 0) / 1000;
}

/**
 * The Worker's module evaluation against the floor Worker's (bench/floor-worker.ts: hono, @hono/zod-openapi and zod,
 * one route), alternated three times; the least of each, since contention on a shared machine only ever adds.
 */
async function recordColdStart(stack: Stack, bundle: { path: string; gzipKib: number }): Promise<void> {
  const lembas: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 3; i++) {
    floor.push(startupCpuMs(benchWorkers.floor.config));
    lembas.push(startupCpuMs());
  }
  const evaluation = Math.min(...lembas);
  const floorEvaluation = Math.min(...floor);
  const cold = await coldStart(stack, bundle.path);
  console.log(
    `module evaluation (wrangler check startup, workerd): ${fmt(evaluation)} of CPU for ${bundle.gzipKib.toFixed(0)} KiB gz; the floor Worker's ${fmt(floorEvaluation)} (${(evaluation / floorEvaluation).toFixed(2)}x); by check: ${lembas.map(fmt).join(', ')} against ${floor.map(fmt).join(', ')}`,
  );
  console.log(
    `first response of a new workerd: ${fmt(cold)} more CPU than the ceiling Worker's (compile, evaluate, route)`,
  );
  results.add('bundle', 'cold start: module evaluation CPU', evaluation, 'ms');
  results.add('bundle', "cold start: the floor Worker's module evaluation CPU", floorEvaluation, 'ms');
  results.target(
    'bundle',
    'cold start: module evaluation / floor Worker',
    evaluation / floorEvaluation,
    'x',
    '<=',
    1.5,
  );
  results.add('bundle', 'first response of a new workerd, CPU over the ceiling', cold, 'ms');
}

/**
 * A post published to FANOUT_SUBSCRIBERS subscribers through the jobs queue (bench/fanout.ts): time to drain,
 * workerd CPU per mail, and no duplicate nor loss, counted in the delivery rows and in the mailbox.
 */
async function fanoutPhase(stack: Stack, bundle: string, demo: Demo): Promise<void> {
  const figures = await fanoutBench({
    sql: stack.sql,
    bundlePath: bundle,
    textWorkerPath: textWorkerScript(),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: lembasBindings(stack, stack.upstash.url),
    jwtSecret: JWT_SECRET,
    author: demo.author,
    subscribers: FANOUT_SUBSCRIBERS,
  });
  console.log(
    `${figures.subscribers} subscribers: ${figures.mails} mails in ${figures.drainSeconds.toFixed(1)} s from the publish to the send's end (${(figures.mails / figures.drainSeconds).toFixed(0)} mails/s)`,
  );
  console.log(
    `workerd CPU: ${figures.cpuMsPerMail.toFixed(3)} ms per mail (the consumer, and Miniflare's local queue broker, which runs in the same workerd); duplicates ${figures.duplicates}, losses ${figures.losses}, failed ${figures.failed}`,
  );
  results.add('newsletter', `fan-out to ${figures.subscribers}: time to drain`, figures.drainSeconds, 's');
  results.add('newsletter', 'fan-out: workerd CPU per mail', figures.cpuMsPerMail, 'ms');
  results.target('newsletter', 'fan-out: duplicate mails', figures.duplicates, 'mails', '<=', 0);
  results.target('newsletter', 'fan-out: lost mails', figures.losses + figures.failed, 'mails', '<=', 0);
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log('# lembas benchmark');
  console.log(
    `node ${process.version}; ${cpus().length} CPUs; stand-in delay ${DELAY_MS} ms per request; load ${CONCURRENCY} connections for ${LOAD_SECONDS} s per route`,
  );
  // BENCH_LOAD=0 skips the load figures (for working on the other sections).
  const wrk = hasCommand('wrk') && process.env.BENCH_LOAD !== '0';
  if (!hasCommand('wrk')) {
    console.log('wrk not found: load figures are skipped (a Node client would measure itself). apt-get install wrk');
  }

  copyStaticAssets();
  heading('Bundle');
  const bundle = await reportBundle(results);
  benchWorkers.ceiling = buildBenchWorker('ceiling');
  benchWorkers.floor = buildBenchWorker('floor');

  // Seeding demo content must never touch real data: on a real server the benchmark gets a database of its own.
  const database = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const realRedis = (await reachable(redisUrl)) ? redisUrl : undefined;
  const stack = await startStack({ databaseUrl: database?.url, upstashToken: TOKEN });
  const realUpstash = realRedis ? await startUpstashRest({ token: TOKEN, redisUrl: realRedis }) : undefined;
  console.log(
    `backends: Postgres ${stack.neon.backend}; Redis embedded (${stack.upstash.backend})${realUpstash ? ` and real (${realRedis})` : ' only: no Redis at REDIS_URL or 127.0.0.1:6379'}`,
  );
  const demo = await seed(stack);
  const main = await startInstance(bundle.path, lembasBindings(stack, stack.upstash.url));
  const request = (path: string) => get(main.origin, path);
  const redis = new Redis({ url: stack.upstash.url, token: TOKEN, retry: false, enableAutoPipelining: false });
  const dropCache = async () => {
    const keys = await redis.keys(`${NAMESPACE}:*`);
    if (keys.length > 0) await redis.del(...keys);
  };

  const routes = [`/posts/${demo.small}`, '/', `/tags/${demo.tag}`, '/api/posts', `/api/posts/by-slug/${demo.small}`];
  try {
    if (ONLY) {
      if (ONLY === 'load') {
        const phases: Phase[] = [];
        for (let run = 0; run < RUNS; run++)
          phases.push(await loadPhase('embedded', stack, stack.upstash, demo, bundle.path));
        recordRuns(phases);
      }
      if (ONLY === 'edge') await edgeTier(stack, bundle.path, demo);
      if (ONLY === 'cold') await recordColdStart(stack, bundle);
      if (ONLY === 'memory') await memoryCheck(stack, bundle.path, `/posts/${demo.small}`);
      if (ONLY === 'fanout') await fanoutPhase(stack, bundle.path, demo);
      results.print();
      await realUpstash?.close();
      await stack.close();
      await database?.drop();
      return;
    }
    await request('/healthz'); // start the isolate before measuring
    // Steady state: the first run of each cache script costs Redis a NOSCRIPT answer and an EVAL, once per server.
    await request(`/posts/${NAMESPACE}-warm-up`);
    await settle();
    heading('Round trips per request (stand-in request counters)');
    console.log('route                          | cache | Neon | Upstash');
    for (const path of routes) {
      await dropCache();
      for (const expected of ['MISS', 'HIT']) {
        stack.neon.resetStats();
        stack.upstash.resetStats();
        const result = await request(path);
        await settle();
        console.log(
          `${path.padEnd(30)} | ${String(result.cache).padEnd(5)} | ${stack.neon.requestCount()}    | ${stack.upstash.requestCount()}${result.cache === expected ? '' : `  (expected ${expected})`}`,
        );
        results.add('round trips', `${path} ${expected}: Neon`, stack.neon.requestCount(), 'requests');
        results.add('round trips', `${path} ${expected}: Upstash`, stack.upstash.requestCount(), 'requests');
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
      return { hit: median(hits), miss: median(misses) };
    };
    for (const path of routes) {
      const fast = await measure(path);
      stack.neon.setDelay(DELAY_MS);
      stack.upstash.setDelay(DELAY_MS);
      const slow = await measure(path);
      stack.neon.setDelay(0);
      stack.upstash.setDelay(0);
      const waits = (a: number, b: number) => (b - a) / DELAY_MS;
      console.log(
        `${path.padEnd(30)} | ${fmt(slow.hit).padStart(8)}, ${waits(fast.hit, slow.hit).toFixed(1)}    | ${fmt(slow.miss).padStart(8)}, ${waits(fast.miss, slow.miss).toFixed(1)}`,
      );
      results.add('waits', `${path} HIT: round trips waited`, waits(fast.hit, slow.hit), 'round trips');
      results.add('waits', `${path} MISS: round trips waited`, waits(fast.miss, slow.miss), 'round trips');
    }
    console.log(
      `(waits = (latency at ${DELAY_MS} ms - latency at 0) / ${DELAY_MS} ms: network round trips a visitor waits for)`,
    );
  } finally {
    await main.mf.dispose();
  }

  try {
    if (wrk) {
      heading(
        `Load: ${RUNS} run${RUNS > 1 ? 's' : ''} of wrk -t1 -c${CONCURRENCY}, ${LOAD_SECONDS} s per route in ${LOAD_PASSES} passes, workerd CPU from /proc/<pid>/task/*/schedstat`,
      );
      const embedded: Phase[] = [];
      const real: Phase[] = [];
      for (let run = 1; run <= RUNS; run++) {
        if (RUNS > 1)
          console.log(`\n### run ${run} of ${RUNS} (at ${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);
        embedded.push(await loadPhase('embedded', stack, stack.upstash, demo, bundle.path));
        if (realUpstash) real.push(await loadPhase('real Redis', stack, realUpstash, demo, bundle.path));
      }
      recordRuns(embedded);
      if (realUpstash) {
        recordRuns(real);
        compareBackends(embedded, real);
      }
    }

    heading('The edge tier: the built Worker in Miniflare behind the Workers Cache stand-in (embedded stand-ins)');
    await edgeTier(stack, bundle.path, demo);

    if (wrk) {
      heading(`Memory: ${MEMORY_REQUESTS} requests of the small post page (embedded stand-ins)`);
      await memoryCheck(stack, bundle.path, `/posts/${demo.small}`);
    }

    heading('Consistency under load (embedded stand-ins, 5-20 ms injected latency)');
    await consistency(stack, stack.upstash, bundle.path, demo);

    heading('Faults under load (the stand-ins behind proxies that refuse connections)');
    await faults(stack, stack.upstash, bundle.path, demo);

    heading(`Newsletter fan-out: ${FANOUT_SUBSCRIBERS} subscribers, the local queue and mailbox (embedded stand-ins)`);
    await fanoutPhase(stack, bundle.path, demo);

    heading('Cold start');
    await recordColdStart(stack, bundle);
  } finally {
    await realUpstash?.close();
    await stack.close();
    await database?.drop();
  }

  heading('CPU of the slow paths (Node, same WebCrypto and libraries as the Worker)');
  const hashRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await hashPassword('benchmark password 123');
    hashRuns.push(performance.now() - t);
  }
  console.log(
    `PBKDF2-SHA256, 100,000 iterations: median ${fmt(median(hashRuns))} per hash (Workers Free allows 10 ms CPU per request)`,
  );
  results.add('slow paths', 'PBKDF2 100k iterations', median(hashRuns), 'ms');
  const cases: [string, string][] = [
    ['seed post (~1 KB)', readFileSync(new URL('../dev/seed/posts.ts', import.meta.url), 'utf8').slice(0, 1200)],
    [
      'prose, 195 KB',
      ('Lorem ipsum dolor *sit* amet, **consectetur** adipiscing `elit`. '.repeat(20) + '\n\n').repeat(150),
    ],
    ['adversarial emphasis, 190 KB', ('_a'.repeat(500) + '\n\n').repeat(190)],
  ];
  for (const [name, source] of cases) {
    const t = performance.now();
    renderMarkdownNow(source);
    const ms = performance.now() - t;
    console.log(`markdown render, ${name}: ${fmt(ms)} (once, at save time)`);
    results.add('slow paths', `markdown render, ${name}`, ms, 'ms');
  }

  heading('Targets');
  results.print();
  const seconds = (performance.now() - started) / 1000;
  results.add('bench', 'duration', seconds, 's');
  // BENCH_WRITE=0: print only (a run on a busy machine, whose figures are not the record).
  if (process.env.BENCH_WRITE === '0') {
    console.log(`\n${seconds.toFixed(0)} s in all (nothing written: BENCH_WRITE=0).`);
    return;
  }
  await results.write({ wrk, realRedis: Boolean(realUpstash), runs: RUNS });
  console.log(`\nbench/results.json and the README table written; ${seconds.toFixed(0)} s in all.`);
}

// Exit explicitly: a keep-alive socket left by a client (the Node fetch pool, a Redis connection) would otherwise
// hold the process open after the report.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

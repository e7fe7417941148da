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
import { Miniflare } from 'miniflare';
import { hashPassword } from '../lib/auth/password';
import { issueAccessToken } from '../lib/auth/tokens';
import { cacheKeys } from '../lib/cache-keys';
import type { Deps } from '../lib/context';
import { insertPost } from '../lib/db/posts';
import { loadPostPage } from '../lib/post-page';
import { listTags } from '../lib/db/tags';
import { renderMarkdown } from '../lib/markdown';
import { renderMarkdownNow } from '../lib/markdown-engine';
import { copyStaticAssets } from '../dev/assets';
import { seedIfEmpty } from '../dev/seed';
import { startStack, type Stack } from '../dev/stack';
import { startUpstashRest, type StandIn } from '../dev/standins/upstash-rest';
import { createTestDatabase } from '../dev/test-database';
import { startFaultProxy } from './fault-proxy';
import { seedLongPosts } from './long-post';
import { inspector, liveHeapBytes } from './inspector';
import { childProcesses, cpuMs, hasCommand, loadTest, mainThreadCpuMs, rssKiB, type LoadResult } from './measure';
import { Results } from './results';
import { reportBundle } from './bundle-size';
import { OUT_DIR, wrangler } from './wrangler';

const CEILING = new URL('./ceiling-worker.js', import.meta.url).pathname;
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 20);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// Five passes of a second each: this VM's speed moves by up to a quarter within seconds (a fixed loop, timed
// back to back, took 23 to 29 ms), so a ratio is taken within each pass and the median kept (recordPhase).
const LOAD_PASSES = Number(process.env.BENCH_PASSES ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const MEMORY_REQUESTS = 50_000;
// BENCH_ONLY=load|cold|memory: one section on the embedded stand-ins, for iterating (nothing is written).
const ONLY = process.env.BENCH_ONLY as 'load' | 'cold' | 'memory' | undefined;
const NAMESPACE = `bench${Date.now()}`;
const TOKEN = 'bench-token';
const JWT_SECRET = 'b'.repeat(32);
const COMPATIBILITY_DATE = '2026-04-20';

const results = new Results();
/** A browser's User-Agent: its post page views are counted (wrk sends none, which counts as a tool). */
const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

const benchStarted = performance.now();

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
  inspectorPort?: number,
): Promise<Instance> {
  const before = new Set(childProcesses('workerd'));
  const mf = new Miniflare({
    name: scriptPath === CEILING ? 'ceiling' : 'lembas',
    inspectorPort,
    // Listed, not discovered: the bundle keeps a dependency's dynamic import(), which Miniflare cannot resolve.
    modules: [{ type: 'ESModule', path: scriptPath }],
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    // The Worker's R2 bucket for images (wrangler.toml's MEDIA), local to Miniflare; the ceiling gets one too, so
    // the two instances differ only in their script.
    r2Buckets: ['MEDIA'],
    // The Worker logs every failure it absorbs (the fault runs make thousands); the counts are what the bench shows.
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume();
      stderr.resume();
    },
  });
  const origin = await mf.ready;
  return { mf, origin, pids: childProcesses('workerd').filter((pid) => !before.has(pid)) };
}

function lembasBindings(stack: Stack, upstashUrl: string, neonUrl = stack.neon.url): Record<string, string> {
  return {
    ...stack.workerVars,
    NEON_FETCH_ENDPOINT: neonUrl,
    UPSTASH_REDIS_REST_URL: upstashUrl,
    JWT_SECRET,
    CACHE_NAMESPACE: NAMESPACE,
    SITE_URL: 'http://localhost',
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
}

/** The demo content plus what the figures need: a ~27 KB post (and copies to miss), and an author to write with. */
async function seed(stack: Stack): Promise<Demo> {
  await seedIfEmpty(stack.sql);
  const big = `bench-long-post-${NAMESPACE}`;
  const missSlugs = Array.from({ length: MISS_BATCHES * MISSES }, (_, i) => `${big}-${i}`);
  const author = await seedLongPosts(stack, `bench_${NAMESPACE}`, [big, ...missSlugs]);
  const tags = await listTags(stack.sql);
  return {
    small: 'welcome-to-lembas',
    big,
    missSlugs,
    missBatch: await postPageBatch(stack, big),
    tag: tags[0]?.slug ?? 'edge',
    author: { id: author.id, role: 'author' },
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
    await loadPostPage({ sql: stack.sql, metric: () => {} } as unknown as Deps, slug);
  } finally {
    neonConfig.fetchFunction = fetchFunction;
  }
  if (!captured) throw new Error('loadPostPage sent no Neon request');
  return JSON.stringify(captured);
}

/** The Redis key of a post page's cached response, as lib/cache.ts names it under the bench's namespace. */
function cacheKeyOf(slug: string): string {
  return `${NAMESPACE}:${cacheKeys.response('post', slug).key}`;
}

interface Phase {
  label: string;
  figures: Map<string, LoadResult>;
  /** Each load figure's runs, one per pass, in pass order. */
  passes: Map<string, LoadResult[]>;
}

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
  const lembas = await startInstance(bundle, lembasBindings(stack, upstash.url));
  const ceiling = await startInstance(CEILING, {
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
    console.log(
      `${label}: pages of ${(smallPage.body.length / 1024).toFixed(1)} KB and ${(bigPage.body.length / 1024).toFixed(1)} KB`,
    );
    // Each Worker route runs right after the ceiling route it is compared with, so a ratio's two runs are adjacent.
    const routes: [string, Instance, string, Record<string, string>?][] = [
      ['ceiling: no I/O', ceiling, '/'],
      ['no I/O: /robots.txt', lembas, '/robots.txt'],
      ['ceiling: raw fetch, small page', ceiling, `/raw/${encodeURIComponent(cacheKeyOf(demo.small))}`],
      ['post page, small, HIT', lembas, pages.small],
      ['home page, HIT', lembas, '/'],
      [`tag page, HIT`, lembas, `/tags/${demo.tag}`],
      ['API post, HIT', lembas, api[0]!],
      ['API list, HIT', lembas, api[1]!],
      ['ceiling: raw fetch, 27 KB page', ceiling, `/raw/${encodeURIComponent(cacheKeyOf(demo.big))}`],
      ['post page, 27 KB, HIT', lembas, pages.big],
      ['post page, 27 KB, 304', lembas, pages.big, { 'If-None-Match': bigPage.etag ?? '' }],
      // A browser's view is counted by the same cache read: still one Upstash request.
      ['post page, 27 KB, HIT, view counted', lembas, pages.big, { 'User-Agent': READER_AGENT }],
    ];
    // Several passes over every route, each run as long as a pass's share: a drift of the machine during a phase then
    // falls on the ceiling and the Worker alike, instead of on whichever ran later. A figure combines its runs; a
    // ratio is the median pass's (recordPhase).
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
      const ceilingPaths = slugs.map((slug) => `/miss/${encodeURIComponent(`${NAMESPACE}:ceiling:${label}:${slug}`)}`);
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
 * Memory over 50,000 requests of a warmed isolate: its live heap after a forced full collection (through the
 * inspector, so garbage not yet collected is not counted as growth), and the workerd process's RSS beside it.
 */
async function memoryCheck(stack: Stack, bundle: string, path: string): Promise<void> {
  const lembas = await startInstance(bundle, lembasBindings(stack, stack.upstash.url), INSPECTOR_PORT);
  const session = await inspector(INSPECTOR_PORT);
  let deadline = 0;
  const url = new URL(path, lembas.origin).toString();
  try {
    await loadTest(url, lembas.pids, { seconds: 2, connections: CONCURRENCY }); // warm: JIT, router, clients
    const heapBefore = await liveHeapBytes(session);
    const rssBefore = rssKiB(lembas.pids);
    let served = 0;
    // Capped at a minute, so a busy machine cannot push the bench past five minutes; the count says how many ran.
    deadline = performance.now() + 60_000;
    while (served < MEMORY_REQUESTS && performance.now() < deadline) {
      served += (await loadTest(url, lembas.pids, { seconds: 5, connections: CONCURRENCY })).requests;
    }
    const heapAfter = await liveHeapBytes(session);
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
    const ceiling = await startInstance(CEILING, { UPSTASH_URL: stack.upstash.url, UPSTASH_TOKEN: TOKEN });
    try {
      const rawUrl = new URL(`/raw/${encodeURIComponent(cacheKeyOf(path.slice('/posts/'.length)))}`, ceiling.origin);
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

function recordPhase(phase: Phase): void {
  const f = (name: string) => phase.figures.get(name)!;
  const group = `load (${phase.label})`;
  for (const [name, result] of phase.figures) {
    if (Number.isFinite(result.rps)) results.add(group, `${name}: req/s`, result.rps, 'req/s');
    results.add(group, `${name}: CPU per request`, result.cpuMsPerRequest, 'ms');
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
  results.target(
    group,
    'small post HIT req/s / ceiling',
    rate('post page, small, HIT', 'ceiling: raw fetch, small page'),
    'x',
    '>=',
    0.85,
  );
  results.target(
    group,
    '27 KB post HIT req/s / ceiling',
    rate('post page, 27 KB, HIT', 'ceiling: raw fetch, 27 KB page'),
    'x',
    '>=',
    0.85,
  );
  results.target(
    group,
    '27 KB post HIT CPU / ceiling',
    cpu('post page, 27 KB, HIT', 'ceiling: raw fetch, 27 KB page'),
    'x',
    '<=',
    1.2,
  );
  results.target(
    group,
    'no-I/O route CPU / ceiling no-I/O',
    cpu('no I/O: /robots.txt', 'ceiling: no I/O'),
    'x',
    '<=',
    1.3,
  );
  results.target(group, '27 KB post MISS CPU (warm)', f('post page, 27 KB, MISS').cpuMsPerRequest, 'ms', '<=', 2);
  // The miss's bound is in ms, and this machine's speed is not fixed (two sessions on 2026-12-01 measured every
  // figure, the ceiling's included, 2x apart). Against the ceiling's read of the same page it compares across runs.
  const missPerRead = cpu('post page, 27 KB, MISS', 'ceiling: raw fetch, 27 KB page');
  results.add(group, '27 KB post MISS CPU / ceiling 27 KB read CPU', missPerRead, 'x');
  const missPerCeiling = cpu('post page, 27 KB, MISS', "ceiling: a miss's I/O");
  results.add(group, "27 KB post MISS CPU / ceiling miss's I/O CPU", missPerCeiling, 'x');
  console.log(
    `${group}: a warm miss costs ${missPerRead.toFixed(2)}x the ceiling's read of the same page, ${missPerCeiling.toFixed(2)}x the ceiling's miss (its three exchanges alone)`,
  );
  results.target(
    group,
    '27 KB post 304 CPU / HIT CPU',
    cpu('post page, 27 KB, 304', 'post page, 27 KB, HIT'),
    'x',
    '<=',
    1,
  );
  results.add(
    group,
    '27 KB post HIT with a view counted, CPU / HIT CPU',
    cpu('post page, 27 KB, HIT, view counted', 'post page, 27 KB, HIT'),
    'x',
  );
  for (const route of ['home page, HIT', 'tag page, HIT', 'API list, HIT']) {
    results.target(group, `${route} CPU / small post HIT CPU`, cpu(route, 'post page, small, HIT'), 'x', '<=', 1.2);
  }
}

function compareBackends(embedded: Phase, real: Phase): void {
  for (const [name, result] of embedded.figures) {
    if (name.startsWith('ceiling') || !name.includes('HIT') || !Number.isFinite(result.rps)) continue;
    const ratio = result.rps / real.figures.get(name)!.rps;
    results.target('embedded vs real Redis', `${name}: embedded req/s / real Redis req/s`, ratio, 'x', '>=', 0.8);
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
 * with the same bindings kind and no static assets, so the difference is the Worker's own code.
 */
async function coldStart(stack: Stack, bundle: string): Promise<number> {
  const firstResponseCpu = async (script: string, bindings: Record<string, string>) => {
    const instance = await startInstance(script, bindings);
    await (await instance.mf.dispatchFetch('http://localhost/robots.txt')).arrayBuffer();
    const ms = cpuMs(instance.pids);
    await instance.mf.dispose();
    return ms;
  };
  const lembas: number[] = [];
  const ceiling: number[] = [];
  for (let i = 0; i < 5; i++) {
    ceiling.push(await firstResponseCpu(CEILING, { UPSTASH_URL: stack.upstash.url, UPSTASH_TOKEN: TOKEN }));
    lembas.push(await firstResponseCpu(bundle, lembasBindings(stack, stack.upstash.url)));
  }
  // The least of five: contention on a shared machine only ever adds.
  return Math.min(...lembas) - Math.min(...ceiling);
}

/**
 * Module evaluation alone, as Cloudflare's startup check measures it: `wrangler check startup` profiles the Worker's
 * startup phase in workerd; the CPU is every sample that is not idle. The least of three.
 */
function startupCpuMs(): number {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const outfile = `${OUT_DIR}startup.cpuprofile`;
    wrangler(['check', 'startup', '--outfile', outfile]);
    const profile = JSON.parse(readFileSync(outfile, 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    runs.push(
      profile.samples.reduce((sum, id, at) => sum + (idle.has(id) ? 0 : (profile.timeDeltas[at] ?? 0)), 0) / 1000,
    );
  }
  return Math.min(...runs);
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
  const bundle = reportBundle(results);

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
      if (ONLY === 'load') recordPhase(await loadPhase('embedded', stack, stack.upstash, demo, bundle.path));
      if (ONLY === 'cold') {
        console.log(`module evaluation: ${fmt(startupCpuMs())} of CPU`);
        console.log(
          `first response of a new workerd: ${fmt(await coldStart(stack, bundle.path))} of CPU over the ceiling`,
        );
      }
      if (ONLY === 'memory') await memoryCheck(stack, bundle.path, `/posts/${demo.small}`);
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
        `Load: wrk -t1 -c${CONCURRENCY}, ${LOAD_SECONDS} s per route in ${LOAD_PASSES} passes, workerd CPU from /proc/<pid>/task/*/schedstat`,
      );
      const embedded = await loadPhase('embedded', stack, stack.upstash, demo, bundle.path);
      recordPhase(embedded);
      if (realUpstash) {
        const real = await loadPhase('real Redis', stack, realUpstash, demo, bundle.path);
        recordPhase(real);
        compareBackends(embedded, real);
      }
    }

    if (wrk) {
      heading(`Memory: ${MEMORY_REQUESTS} requests of the small post page (embedded stand-ins)`);
      await memoryCheck(stack, bundle.path, `/posts/${demo.small}`);
    }

    heading('Consistency under load (embedded stand-ins, 5-20 ms injected latency)');
    await consistency(stack, stack.upstash, bundle.path, demo);

    heading('Faults under load (the stand-ins behind proxies that refuse connections)');
    await faults(stack, stack.upstash, bundle.path, demo);

    heading('Cold start');
    const evaluation = startupCpuMs();
    const cold = await coldStart(stack, bundle.path);
    console.log(
      `module evaluation (wrangler check startup, workerd): ${fmt(evaluation)} of CPU for ${bundle.gzipKib.toFixed(0)} KiB gz`,
    );
    console.log(
      `first response of a new workerd: ${fmt(cold)} more CPU than the ceiling Worker's (compile, evaluate, route)`,
    );
    results.add('bundle', 'first response of a new workerd, CPU over the ceiling', cold, 'ms');
    results.target('bundle', 'cold start: module evaluation CPU', evaluation, 'ms', '<=', 50);
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
  results.write({ wrk, realRedis: Boolean(realUpstash) });
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

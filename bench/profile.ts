// `npm run bench:profile -- <path> [more paths]`: where the Worker's CPU goes on a route. Runs the built bundle in
// Miniflare over the embedded stand-ins (or REDIS_URL's Redis), warms the cache, then samples workerd's V8 profiler
// through the inspector while wrk loads the route, and prints self and inclusive time per function. The bench
// says how much CPU a route costs; this says which functions spend it. `--miss` profiles cache misses instead: a
// ~27 KB post is copied 100 times and each copy's page is read once. `--ceiling` profiles the ceiling Worker
// (bench/ceiling-worker.ts) reading each post page, stored as it stores pages,, to set a route's profile beside the least a
// Worker can do for it.
import { writeFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { copyStaticAssets } from '../dev/assets';
import { seedIfEmpty } from '../dev/seed';
import { startStack } from '../dev/stack';
import { inspector } from './inspector';
import { seedLongPosts } from './long-post';
import { workerModules } from '../dev/wrangler';
import { buildBenchWorker, buildBundle, COMPATIBILITY_DATE, OUT_DIR } from './wrangler';
import { ceilingPageKey, storeCeilingPage } from './ceiling';
import { childProcesses, cpuMs, hasCommand, loadTest } from './measure';

const INSPECTOR_PORT = Number(process.env.BENCH_INSPECTOR_PORT ?? 9239);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
// V8's sampling interval: a longer one disturbs less, and needs a longer run for the same sample count.
const INTERVAL_US = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 100);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').at(-1)}:${lineNumber + 1}`;
}

function summarize(profile: Profile, requests: number, top = 35): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<string, number>();
  const inclusiveUs = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    busyUs += us;
    selfUs.set(frameName(node), (selfUs.get(frameName(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + us);
    }
  });
  const perRequest = (us: number) => `${(us / 1000 / requests).toFixed(4)} ms/req`;
  console.log(`sampled JS thread busy: ${perRequest(busyUs)} over ${requests} requests`);
  const print = (title: string, table: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${perRequest(us)}  ${name}`);
    }
  };
  print('self time', selfUs);
  print('inclusive time', inclusiveUs);
}

const MISS_COPIES = Number(process.env.BENCH_MISS_COPIES ?? 100);

/** Copies of the bench's ~27 KB post, each to be read once: every read is a miss. */
async function seedMissPosts(stack: Awaited<ReturnType<typeof startStack>>): Promise<string[]> {
  const slugs = Array.from({ length: MISS_COPIES }, (_, i) => `profile-long-post-${i}`);
  await seedLongPosts(stack, `profile_${Date.now()}`, slugs);
  return slugs.map((slug) => `/posts/${slug}`);
}

async function main(): Promise<void> {
  const misses = process.argv.includes('--miss');
  const ceiling = process.argv.includes('--ceiling');
  const paths = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  if (misses && paths.length === 0) paths.push('(misses)');
  if (paths.length === 0) throw new Error('usage: npm run bench:profile -- /posts/welcome-to-lembas [...]');
  if (!hasCommand('wrk')) throw new Error('wrk is needed to load the route: apt-get install wrk');
  copyStaticAssets();
  const bundle = buildBundle({ minify: false }); // names kept, so the profile reads
  const token = 'profile-token';
  const stack = await startStack({ upstashToken: token, redisUrl: process.env.REDIS_URL });
  await seedIfEmpty(stack.sql);
  const before = new Set(childProcesses('workerd'));
  const namespace = `profile${Date.now()}`;
  const mf = new Miniflare({
    name: 'lembas',
    ...workerModules(bundle),
    compatibilityDate: '2026-04-20',
    bindings: {
      ...stack.workerVars,
      JWT_SECRET: 'p'.repeat(32),
      CACHE_NAMESPACE: namespace,
      SITE_URL: 'http://localhost',
    },
    r2Buckets: ['MEDIA'],
    inspectorPort: ceiling ? undefined : INSPECTOR_PORT,
  });
  // The ceiling reads the entry the Worker stored for a post page, so both profiles serve the same bytes.
  const ceilingMf = ceiling
    ? new Miniflare({
        name: 'ceiling',
        ...workerModules(buildBenchWorker('ceiling').bundle),
        compatibilityDate: COMPATIBILITY_DATE,
        bindings: { UPSTASH_URL: stack.workerVars.UPSTASH_REDIS_REST_URL!, UPSTASH_TOKEN: token },
        inspectorPort: INSPECTOR_PORT,
      })
    : null;
  try {
    const origin = await mf.ready;
    const ceilingOrigin = await ceilingMf?.ready;
    const pids = childProcesses('workerd').filter((pid) => !before.has(pid));
    const session = await inspector(INSPECTOR_PORT, ceiling ? 'ceiling' : 'lembas');
    if (misses) {
      const pages = await seedMissPosts(stack);
      await (await fetch(new URL('/posts/welcome-to-lembas', origin))).arrayBuffer(); // the isolate is warm
      const readAll = async (batch: string[]) => {
        const cpuBefore = cpuMs(pids);
        for (const page of batch) {
          const response = await fetch(new URL(page, origin));
          await response.arrayBuffer();
          if (response.headers.get('x-cache') !== 'MISS') throw new Error(`${page}: expected a MISS`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200)); // the fills, in waitUntil
        return (cpuMs(pids) - cpuBefore) / batch.length;
      };
      // Without the profiler first (workerd CPU from /proc, one at a time), then sampled.
      const half = pages.length / 2;
      const unprofiled = await readAll(pages.slice(0, half));
      console.log(`workerd CPU per miss, no profiler: ${unprofiled.toFixed(2)} ms over ${half} misses`);
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
      await session.send('Profiler.start');
      await readAll(pages.slice(half));
      const { profile } = await session.send<{ profile: Profile }>('Profiler.stop');
      writeFileSync(`${OUT_DIR}profile-misses.cpuprofile`, JSON.stringify(profile));
      console.log(`\n# ${pages.length - half} misses of a ~27 KB post page`);
      summarize(profile, pages.length - half);
      return;
    }
    for (const path of paths) {
      let url = new URL(path, origin).toString();
      for (let i = 0; i < 3; i++) await (await fetch(url)).arrayBuffer();
      if (ceilingOrigin) {
        if (!path.startsWith('/posts/')) throw new Error('--ceiling profiles post pages: /posts/<slug>');
        const page = await fetch(url);
        const key = ceilingPageKey(namespace, path.slice('/posts/'.length));
        await storeCeilingPage({ url: stack.workerVars.UPSTASH_REDIS_REST_URL!, token }, key, {
          etag: page.headers.get('etag'),
          type: page.headers.get('content-type'),
          body: await page.text(),
        });
        url = new URL(`/raw/${encodeURIComponent(key)}`, ceilingOrigin).toString();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      await loadTest(url, [], { seconds: 1, connections: 20 });
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
      await session.send('Profiler.start');
      const load = await loadTest(url, [], { seconds: SECONDS, connections: 20 });
      const { profile } = await session.send<{ profile: Profile }>('Profiler.stop');
      const file = `${OUT_DIR}profile-${path.replace(/\W+/g, '_')}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      console.log(`\n# ${path}: ${load.rps.toFixed(0)} req/s (profiler attached); profile in ${file}`);
      summarize(profile, load.requests);
    }
    session.close();
  } finally {
    await Promise.all([mf.dispose(), ceilingMf?.dispose()]);
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

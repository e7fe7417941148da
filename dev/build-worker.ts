// The blog Worker's build (wrangler.toml's [build] command): functions/index.ts split into ES modules, so that a cold
// isolate parses and evaluates only what a reader's request runs. The route groups, the cron and the queue are
// `import()`ed where they are first used (functions/lazy-routes.ts); bundled into one script, their code was still
// parsed at every start-up. Here each dynamic import becomes a module of its own, shared code a chunk, and wrangler
// uploads them beside the entry (find_additional_modules), where the runtime loads a module on its first import.
//
// esbuild does the splitting, since wrangler bundles one script; the options are wrangler's own for a Worker (the
// resolve conditions, the [alias] of zod's locales), so the code is the same as wrangler would bundle.
// `npx tsx dev/build-worker.ts [outDir]`; LEMBAS_MINIFY=0 keeps names (the bench's profiles); minified otherwise.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const WORKER_OUT_DIR = new URL('../.build/worker/', import.meta.url).pathname;
const ENTRY = new URL('../functions/index.ts', import.meta.url).pathname;
const ZOD_LOCALES = new URL('../lib/zod-locales.ts', import.meta.url).pathname;

// wrangler.toml's [alias]: zod's `export * as locales` would keep every language's messages; English is the only one.
const zodLocales: Plugin = {
  name: 'zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, () => ({ path: ZOD_LOCALES }));
  },
};

/** Builds the Worker's modules into `outDir` (emptied first: wrangler uploads every .mjs file in it). */
export async function buildWorker({ outDir = WORKER_OUT_DIR, minify = true } = {}): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: { index: ENTRY },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*'],
    plugins: [zodLocales],
    // A folder and an extension of their own, which wrangler.toml's rule for them names and no package's file has.
    chunkNames: 'worker-modules/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return `${outDir}index.mjs`;
}

/** The newest change to the Worker's sources (functions/ and lib/, not wrangler's own .wrangler/ folders). */
function newestSource(): number {
  let newest = 0;
  for (const dir of ['../functions/', '../lib/']) {
    const root = new URL(dir, import.meta.url).pathname;
    for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (name.split('/').includes('.wrangler')) continue;
      newest = Math.max(newest, statSync(join(root, name)).mtimeMs);
    }
  }
  return newest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const minify = process.env.LEMBAS_MINIFY !== '0';
  const outDir = process.argv[2] ?? WORKER_OUT_DIR;
  const built = `${outDir}index.mjs`;
  // A build newer than every source, made the same way, is kept as it is: a second `npm run dev` in this checkout
  // (LEMBAS_FRESH=1 beside the demo, as the browser suite runs it) must not empty the folder the first one serves.
  const stamp = `${outDir}.minify-${minify}`;
  const current = existsSync(built) && existsSync(stamp) && statSync(built).mtimeMs > newestSource();
  if (!current) {
    await buildWorker({ outDir, minify });
    writeFileSync(stamp, '');
  }
}

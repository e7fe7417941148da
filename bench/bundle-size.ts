// The Worker's size, one definition for the bench and the test that holds it (test/node/bundle-size.test.ts): the
// minified modules `npm run deploy` uploads (the entry and the modules beside it, dev/build-worker.ts), together
// and gzipped at zlib's default level, as wrangler prints "Total Upload: … / gzip: …" and Cloudflare's script size
// limits count them. Apart: the part a cold isolate evaluates before its first request, the entry and the modules it
// imports statically; the rest is `import()`ed by the first request that needs it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';
import type { Results } from './results';
import { buildTextWorker } from '../dev/text-worker';
import { workerModules } from '../dev/wrangler';
import { buildBundle, OUT_DIR } from './wrangler';

/**
 * Issue 21's bound for cold start: the less there is to parse and compile, the sooner a fresh isolate answers.
 * test/node/bundle-size.test.ts holds the Worker to it (537 KiB before issue 21, 402 after trimming dependencies,
 * 278 once the write side's text libraries moved to the text Worker).
 */
export const BUNDLE_GZIP_GOAL_KIB = 300;

interface Size {
  /** The modules measured: their bytes together, and gzipped together. */
  paths: string[];
  kib: number;
  gzipKib: number;
}

export interface BundleSize extends Size {
  /** The entry module (the first of `paths`). */
  path: string;
  /** The entry and what it imports statically: what a cold isolate parses and evaluates before its first request. */
  startup: Size;
}

/** Builds the minified Worker (into `outDir` when given) and measures it. */
export async function measureBundle(outDir?: string): Promise<BundleSize> {
  const path = buildBundle({ minify: true, outDir });
  const all = workerModules(path).modules.map((module) => module.path);
  return { path, ...sizeOf(all), startup: sizeOf(await staticClosure(path)) };
}

function sizeOf(paths: string[]): Size {
  const code = Buffer.concat(paths.map((file) => readFileSync(file)));
  return { paths, kib: code.length / 1024, gzipKib: gzipSync(code).length / 1024 };
}

/** The module at `entry` and every module it reaches through static imports (not `import()`). */
async function staticClosure(entry: string): Promise<string[]> {
  await init;
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const [imports] = parse(readFileSync(file, 'utf8'));
    for (const { n: name, d: dynamic } of imports) {
      if (dynamic === -1 && name?.startsWith('.')) visit(join(dirname(file), name));
    }
  };
  visit(entry);
  return [...seen];
}

/** The bench's Bundle section: builds, prints the sizes and records the gzipped total against its goal. */
export async function reportBundle(results: Results): Promise<BundleSize> {
  const bundle = await measureBundle();
  const met = bundle.gzipKib <= BUNDLE_GZIP_GOAL_KIB ? 'met' : 'NOT met';
  console.log(
    `the Worker, ${bundle.paths.length} modules: ${bundle.kib.toFixed(0)} KiB, ${bundle.gzipKib.toFixed(1)} KiB gzipped (goal: at most ${BUNDLE_GZIP_GOAL_KIB} KiB gzipped, ${met}; Workers limit: 3 MiB free, 10 MiB paid)`,
  );
  console.log(
    `  evaluated at start-up (the entry and its static imports, ${bundle.startup.paths.length} modules): ${bundle.startup.kib.toFixed(0)} KiB, ${bundle.startup.gzipKib.toFixed(1)} KiB gzipped`,
  );
  results.add('bundle', 'minified', bundle.kib, 'KiB');
  results.target('bundle', 'gzipped', bundle.gzipKib, 'KiB', '<=', BUNDLE_GZIP_GOAL_KIB);
  results.add('bundle', 'evaluated at start-up, minified', bundle.startup.kib, 'KiB');
  results.add('bundle', 'evaluated at start-up, gzipped', bundle.startup.gzipKib, 'KiB');
  // Apart, not counted above: a reader's isolate never loads it; it starts on a write's first call.
  const text = sizeOf([buildTextWorker(`${OUT_DIR}text/`, { minify: true })]);
  console.log(
    `the text Worker (functions/text/, called for writes): ${text.kib.toFixed(0)} KiB, ${text.gzipKib.toFixed(1)} KiB gzipped`,
  );
  results.add('bundle', 'text Worker, gzipped', text.gzipKib, 'KiB');
  return bundle;
}

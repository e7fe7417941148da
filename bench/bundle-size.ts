// The Worker bundle's size, one definition for the bench and the test that holds it (test/node/bundle-size.test.ts):
// the minified script `npm run deploy` uploads, gzipped at zlib's default level. That is the figure wrangler prints
// as "Total Upload: … / gzip: …" and the one Cloudflare's script size limits count.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Results } from './results';
import { buildTextWorker } from '../dev/text-worker';
import { buildBundle, OUT_DIR } from './wrangler';

/**
 * Issue 21's bound for cold start: the less there is to parse and compile, the sooner a fresh isolate answers.
 * test/node/bundle-size.test.ts holds the Worker to it (537 KiB before issue 21, 402 after trimming dependencies,
 * 278 once the write side's text libraries moved to the text Worker).
 */
export const BUNDLE_GZIP_GOAL_KIB = 300;

export interface BundleSize {
  path: string;
  kib: number;
  gzipKib: number;
}

/** Builds the minified bundle (into `outDir` when given) and measures it. */
export function measureBundle(outDir?: string): BundleSize {
  return gzippedKib(buildBundle({ minify: true, outDir }));
}

function gzippedKib(path: string): BundleSize {
  const code = readFileSync(path);
  return { path, kib: code.length / 1024, gzipKib: gzipSync(code).length / 1024 };
}

/** The bench's Bundle section: builds, prints both sizes and records the gzipped one against its goal. */
export function reportBundle(results: Results): BundleSize {
  const bundle = measureBundle();
  const met = bundle.gzipKib <= BUNDLE_GZIP_GOAL_KIB ? 'met' : 'NOT met';
  console.log(
    `index.js: ${bundle.kib.toFixed(0)} KiB, ${bundle.gzipKib.toFixed(1)} KiB gzipped (goal: at most ${BUNDLE_GZIP_GOAL_KIB} KiB gzipped, ${met}; Workers limit: 3 MiB free, 10 MiB paid)`,
  );
  results.add('bundle', 'minified', bundle.kib, 'KiB');
  results.target('bundle', 'gzipped', bundle.gzipKib, 'KiB', '<=', BUNDLE_GZIP_GOAL_KIB);
  // Apart, not counted above: a reader's isolate never loads it; it starts on a write's first call.
  const text = gzippedKib(buildTextWorker(`${OUT_DIR}text/`, { minify: true }));
  console.log(
    `the text Worker (functions/text/, called for writes): ${text.kib.toFixed(0)} KiB, ${text.gzipKib.toFixed(1)} KiB gzipped`,
  );
  results.add('bundle', 'text Worker, gzipped', text.gzipKib, 'KiB');
  return bundle;
}

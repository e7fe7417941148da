// Runs the project's own wrangler for the bench and its profiler: the Worker's bundle, and its startup check.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export const OUT_DIR = new URL('../.bench/dist/', import.meta.url).pathname;

/** `wrangler <args>`, failing with wrangler's own output when it fails. */
export function wrangler(args: string[]): void {
  const bin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (result.status !== 0) throw new Error(`wrangler ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
}

/** The Worker's bundle, as `npm run deploy` builds it when minified; unminified keeps names for a profile. */
export function buildBundle({ minify, outDir = OUT_DIR }: { minify: boolean; outDir?: string }): string {
  wrangler(['deploy', '--dry-run', ...(minify ? ['--minify'] : []), '--outdir', outDir]);
  return `${outDir.replace(/\/?$/, '/')}index.js`;
}

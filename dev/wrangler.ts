// The project's own wrangler, run from Node: for the tests' text Worker (dev/text-worker.ts) and the bench
// (bench/wrangler.ts), which build scripts exactly as `npm run deploy` would upload them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** `wrangler <args>`, failing with wrangler's own output when it fails. */
export function wrangler(args: string[]): void {
  const bin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (result.status !== 0) throw new Error(`wrangler ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * The script a deploy of `config` (wrangler.toml when none) would upload, built into `outDir` by
 * `wrangler deploy --dry-run`; minified as `npm run deploy` builds it, or not, to keep names for a profile.
 */
export function buildScript({ config, outDir, minify }: { config?: string; outDir: string; minify: boolean }): string {
  wrangler([
    'deploy',
    '--dry-run',
    ...(config ? ['--config', config] : []),
    ...(minify ? ['--minify'] : []),
    '--outdir',
    outDir,
  ]);
  return `${outDir.replace(/\/?$/, '/')}index.js`;
}

// Runs the project's own wrangler for the bench and its profiler: the Worker's bundle, the bench's own Workers
// (bench/ceiling-worker.ts, bench/floor-worker.ts) built the same way, and the startup check.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildScript, wrangler } from '../dev/wrangler';

export { wrangler };

export const OUT_DIR = new URL('../.bench/dist/', import.meta.url).pathname;
export const COMPATIBILITY_DATE = '2026-04-20';

/** The Worker's bundle, as `npm run deploy` builds it when minified; unminified keeps names for a profile. */
export function buildBundle({ minify, outDir = `${OUT_DIR}lembas/` }: { minify: boolean; outDir?: string }): string {
  return buildScript({ minify, outDir });
}

export type BenchWorker = 'ceiling' | 'floor';

/**
 * One of the bench's own Workers (bench/<name>-worker.ts) under a wrangler config of its own, built as
 * `npm run deploy` builds the Worker (minified): its bundle, and the config the startup check takes.
 */
export function buildBenchWorker(name: BenchWorker): { bundle: string; config: string } {
  const dir = `${OUT_DIR}${name}/`;
  mkdirSync(dir, { recursive: true });
  const config = `${dir}wrangler.json`;
  const main = new URL(`./${name}-worker.ts`, import.meta.url).pathname;
  writeFileSync(config, JSON.stringify({ name: `bench-${name}`, main, compatibility_date: COMPATIBILITY_DATE }));
  wrangler(['deploy', '--dry-run', '--minify', '--config', config, '--outdir', `${dir}out`]);
  return { bundle: `${dir}out/${name}-worker.js`, config };
}

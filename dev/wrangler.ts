// The project's own wrangler, run from Node: for the tests' text Worker (dev/text-worker.ts) and the bench
// (bench/wrangler.ts), which build scripts exactly as `npm run deploy` would upload them.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `wrangler <args>`, failing with wrangler's own output when it fails. */
export function wrangler(args: string[], env: Record<string, string> = {}): void {
  const bin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...env },
  });
  if (result.status !== 0) throw new Error(`wrangler ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * The script a deploy of `config` (wrangler.toml when none) would upload, built into `outDir` by
 * `wrangler deploy --dry-run`; minified as `npm run deploy` builds it, or not, to keep names for a profile. The
 * blog Worker's other modules land beside it (`workerModules`).
 */
export function buildScript({ config, outDir, minify }: { config?: string; outDir: string; minify: boolean }): string {
  rmSync(outDir, { recursive: true, force: true });
  wrangler(
    [
      'deploy',
      '--dry-run',
      ...(config ? ['--config', config] : []),
      ...(minify ? ['--minify'] : []),
      '--outdir',
      outDir,
    ],
    // The blog Worker's own build step (dev/build-worker.ts) minifies its modules unless told not to.
    { LEMBAS_MINIFY: minify ? '1' : '0' },
  );
  return `${outDir.replace(/\/?$/, '/')}index.js`;
}

/**
 * Every module a build left beside `scriptPath` (the entry first), as Miniflare's `modules` and `modulesRoot` take
 * them: listed, since Miniflare cannot follow a dependency's `import()` of a computed name.
 */
export function workerModules(scriptPath: string) {
  const root = dirname(scriptPath);
  const others = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.m?js$/.test(name) && join(root, name) !== scriptPath)
    .sort();
  return {
    modulesRoot: root,
    modules: [scriptPath, ...others.map((name) => join(root, name))].map((path) => ({
      type: 'ESModule' as const,
      path,
    })),
  };
}

// The Worker's gzipped size, measured as `npm run bench` measures it (bench/bundle-size.ts): a build is
// deterministic, so a dependency or an import that adds weight fails here rather than in a bench run read later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_GZIP_GOAL_KIB, measureBundle, type BundleSize } from '../../bench/bundle-size';

const outDir = mkdtempSync(join(tmpdir(), 'lembas-bundle-'));
let bundle: BundleSize;
beforeAll(async () => {
  bundle = await measureBundle(outDir);
  console.log(
    `Worker: ${bundle.paths.length} modules, ${bundle.gzipKib.toFixed(1)} KiB gzipped, ${bundle.startup.gzipKib.toFixed(1)} of it at start-up`,
  );
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the Worker as deployed', () => {
  it(`stays within ${BUNDLE_GZIP_GOAL_KIB} KiB gzipped`, () => {
    expect(bundle.gzipKib).toBeLessThanOrEqual(BUNDLE_GZIP_GOAL_KIB);
  });

  it("starts without the API, the form pages, the cron, the queue, Neon's driver and the rate limiter: modules loaded on first use", () => {
    // dev/build-worker.ts names each module loaded by import() after its source file.
    const names = (paths: string[]) => paths.map((path) => basename(path).replace(/-[A-Z0-9]+\.mjs$/, ''));
    const deferred = ['api-routes', 'form-routes', 'scheduled', 'queue', 'serverless', 'ratelimit-library'];
    expect(names(bundle.paths)).toEqual(expect.arrayContaining(deferred));
    for (const name of deferred) expect(names(bundle.startup.paths)).not.toContain(name);
  });
});

// The Worker bundle's gzipped size, measured as `npm run bench` measures it (bench/bundle-size.ts): a build is
// deterministic, so a dependency or an import that adds weight fails here rather than in a bench run read later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_GZIP_GOAL_KIB, measureBundle } from '../../bench/bundle-size';

const outDir = mkdtempSync(join(tmpdir(), 'lembas-bundle-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the Worker bundle', () => {
  it(`stays within ${BUNDLE_GZIP_GOAL_KIB} KiB gzipped`, () => {
    const { gzipKib } = measureBundle(outDir);
    console.log(`Worker bundle: ${gzipKib.toFixed(1)} KiB gzipped`);
    expect(gzipKib).toBeLessThanOrEqual(BUNDLE_GZIP_GOAL_KIB);
  });
});

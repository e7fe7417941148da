// A page is served at `/{slug}`, after every other route: a slug that is the first segment of a route (or of a
// file in public/) would be a page nobody can reach, or would hide a route added later. Reads every route the
// source registers, so a new route whose first segment is missing from lib/pages/reserved-slugs.ts fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS } from '../../lib/pages/reserved-slugs';
import { SLUG_PATTERN } from '../../lib/slug';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

// `.get('/x…'`, `.post(\n  '/x…'`, `app.route('/x…'`, `app.use('/x…'` and createRoute's `path: '/x…'`.
const ROUTE = /(?:\.(?:get|post|put|patch|delete|all|on|use|route)\(\s*|\bpath:\s*)['"`]\/([^'"`/:*?]+)/g;

function routeSegments(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles('functions')) {
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(ROUTE)) {
      found.set(match[1] as string, file);
    }
  }
  for (const name of readdirSync(join(root, 'public'))) found.set(name, `public/${name}`);
  return found;
}

describe('reserved page slugs', () => {
  it('cover the first segment of every route and public file', () => {
    const segments = routeSegments();
    expect(segments.size).toBeGreaterThan(10);
    const missing = [...segments]
      // `feed.xml` and `favicon.ico` cannot be slugs; their stem (`feed`) is reserved all the same.
      .map(([segment, file]) => [segment.replace(/\.[a-z]+$/, ''), file] as const)
      .filter(([segment]) => SLUG_PATTERN.test(segment) && !RESERVED_SLUGS.has(segment));
    expect(missing, 'add these to lib/pages/reserved-slugs.ts').toEqual([]);
  });
});

// The static files in public/ are served before the Worker runs, so a page whose slug is one of their first path
// segments (`static`, `favicon`) could never be reached. Routes of the app itself: test/reserved-slugs.test.ts.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS } from '../../lib/pages/reserved-slugs';
import { SLUG_PATTERN } from '../../lib/slug';

describe('reserved page slugs', () => {
  it('cover every top-level file and folder of public/', () => {
    const names = readdirSync(new URL('../../public/', import.meta.url))
      .map((name) => name.replace(/\.[a-z]+$/, ''))
      .filter((name) => SLUG_PATTERN.test(name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !RESERVED_SLUGS.has(name))).toEqual([]);
  });
});

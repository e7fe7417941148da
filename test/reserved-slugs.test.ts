// A page is served at `/{slug}`, after every other route: a slug that is the first segment of a route would be a
// page nobody can reach, or one that hides a route added later. Walks the app's own routes, so a new route whose
// first segment is missing from lib/pages/reserved-slugs.ts fails here (public/ files: test/node/reserved-slugs).
import { describe, expect, it } from 'vitest';
import { app } from '../functions/index';
import { RESERVED_SLUGS } from '../lib/pages/reserved-slugs';
import { SLUG_PATTERN } from '../lib/slug';

describe('reserved page slugs', () => {
  it("cover the first segment of every route of the app but the pages' own", () => {
    const segments = new Set(
      app.routes
        .map(({ path }) => path.split('/')[1] ?? '')
        // `feed.xml` cannot be a slug, but its stem is reserved all the same; `:slug` is the pages' own route.
        .map((segment) => segment.replace(/\.[a-z]+$/, ''))
        .filter((segment) => SLUG_PATTERN.test(segment)),
    );
    expect(segments.size).toBeGreaterThan(10);
    expect([...segments].filter((segment) => !RESERVED_SLUGS.has(segment))).toEqual([]);
  });
});

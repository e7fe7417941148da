import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../functions/index';
import { counterKeys } from '../lib/cache-keys';
import { bearer, createPost, createUser, jsonRequest, testDeps, unique } from './helpers';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

// A cache namespace of this file's own: other files' writes drop every tagged page in theirs, which would turn an
// expected HIT here into a MISS.
const isolatedEnv = { ...env, CACHE_NAMESPACE: unique('budget').replaceAll('-', '_').slice(0, 40) };

interface Counted {
  response: Response;
  upstash: number;
  neon: number;
}

/**
 * Calls the Worker and counts the requests it sends to each stand-in, its background work (cache fills) included.
 * The spy passes every call through to the real fetch: nothing is mocked, only counted.
 */
async function counted(path: string, init?: RequestInit): Promise<Counted> {
  const spy = vi.spyOn(globalThis, 'fetch');
  try {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(new URL(path, 'https://blog.example'), init), isolatedEnv, ctx);
    await waitOnExecutionContext(ctx);
    const urls = spy.mock.calls.map(([input]) => (input instanceof Request ? input.url : String(input)));
    return {
      response,
      upstash: urls.filter((url) => url.startsWith(env.UPSTASH_REDIS_REST_URL!)).length,
      neon: urls.filter((url) => url.startsWith(env.NEON_FETCH_ENDPOINT!)).length,
    };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

// The first run of each cache script in a fresh Redis costs a NOSCRIPT answer and an EVAL; steady state is what
// the budget is about, so one miss and its fill run first.
beforeAll(async () => {
  await counted(`/posts/${unique('warm-up')}`);
});

async function seededRoutes() {
  const tag = unique('budget-tag');
  const { id, slug } = await createPost({ tags: [{ slug: tag, name: tag }], markdown: '# Budget\n\nCounted.' });
  // `neon` is the database requests of a miss: the post page reads the post, its neighbours and its first page of
  // comments as one batch; every page reads the site settings it shows in its own batch (lib/list-pages.ts).
  return [
    { path: `/posts/${slug}`, neon: 1 },
    { path: '/tags', neon: 1 },
    { path: '/archive', neon: 1 },
    { path: '/', neon: 1 },
    { path: `/tags/${tag}`, neon: 1 },
    { path: `/api/posts/by-slug/${slug}`, neon: 1 },
    { path: '/api/posts', neon: 1 },
    { path: `/api/posts?tag=${tag}&fields=slug,title`, neon: 1 },
    { path: '/api/tags', neon: 1 },
    { path: `/api/posts/${id}/related`, neon: 2 },
    { path: '/feed.xml', neon: 1 },
    { path: '/sitemap.xml', neon: 1 },
  ];
}

describe('cacheable GETs: the round-trip budget and conditional requests', () => {
  it('costs one Upstash read and a database load on a miss (plus the fill after the response), one Upstash read on a hit', async () => {
    for (const { path, neon } of await seededRoutes()) {
      const miss = await counted(path);
      expect([path, miss.response.status, miss.response.headers.get('x-cache')]).toEqual([path, 200, 'MISS']);
      expect([path, miss.upstash, miss.neon]).toEqual([path, 2, neon]);
      const hit = await counted(path);
      expect([path, hit.response.headers.get('x-cache'), hit.upstash, hit.neon]).toEqual([path, 'HIT', 1, 0]);
      expect(await hit.response.text()).toBe(await miss.response.text());
      expect(hit.response.headers.get('etag')).toBe(miss.response.headers.get('etag'));
    }
  });

  it('answers If-None-Match with 304 and no body on a hit, at the cost of a hit', async () => {
    for (const { path } of await seededRoutes()) {
      const first = await counted(path);
      const etag = first.response.headers.get('etag');
      expect([path, etag]).toEqual([path, expect.stringMatching(/^"[0-9a-f]{32}"$/)]);
      const conditional = await counted(path, { headers: { 'If-None-Match': `"other", W/${etag}` } });
      expect([path, conditional.response.status, conditional.upstash, conditional.neon]).toEqual([path, 304, 1, 0]);
      expect(conditional.response.headers.get('etag')).toBe(etag);
      expect(await conditional.response.text()).toBe('');
      const changed = await counted(path, { headers: { 'If-None-Match': '"something-else"' } });
      expect([path, changed.response.status]).toEqual([path, 200]);
    }
  });

  it('answers 304 on a miss too when the re-rendered page is unchanged, and 200 with a new ETag once it changed', async () => {
    const author = await createUser({ role: 'author' });
    const { slug } = await createPost({ authorId: author.id, title: 'Before' });
    const first = await counted(`/posts/${slug}`);
    const etag = first.response.headers.get('etag')!;
    // Uncached deeper pages (a cursor) render every time and still honour the validator.
    const page = await counted('/?limit=1');
    const cursorPath = `/?limit=1&cursor=${encodeURIComponent(/cursor=([^"&]+)/.exec(await page.response.text())![1]!)}`;
    const deep = await counted(decodeURIComponent(cursorPath));
    expect(deep.response.headers.get('x-cache')).toBe('BYPASS');
    const deepAgain = await counted(decodeURIComponent(cursorPath), {
      headers: { 'If-None-Match': deep.response.headers.get('etag')! },
    });
    expect([deepAgain.response.status, deepAgain.response.headers.get('x-cache')]).toEqual([304, 'BYPASS']);

    const { id } = await (await counted(`/api/posts/by-slug/${slug}`)).response.json<{ id: number }>();
    const edit = await counted(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { title: 'After', version: 1 }, await bearer(author)),
    );
    expect(edit.response.status).toBe(200);
    const after = await counted(`/posts/${slug}`, { headers: { 'If-None-Match': etag } });
    expect([after.response.status, after.response.headers.get('x-cache')]).toEqual([200, 'MISS']);
    expect(after.response.headers.get('etag')).not.toBe(etag);
    expect(await after.response.text()).toContain('After');
  });

  it('serves a post page hit in one Upstash request and counts no view itself (the page’s beacon does)', async () => {
    const reader = { headers: { 'User-Agent': BROWSER } };
    const { slug } = await createPost();
    const miss = await counted(`/posts/${slug}`, reader);
    expect([miss.response.headers.get('x-cache'), miss.upstash]).toEqual(['MISS', 2]); // lease, fill
    const hit = await counted(`/posts/${slug}`, reader);
    expect([hit.response.headers.get('x-cache'), hit.upstash, hit.neon]).toEqual(['HIT', 1, 0]);
    expect(await hit.response.text()).toContain(`<script src="/static/views.js" data-post="${slug}"`);
    expect(await testDeps().redis.hget(counterKeys.pendingViews(isolatedEnv.CACHE_NAMESPACE), slug)).toBeNull();
    const missing = unique('no-post');
    for (let i = 0; i < 2; i++) expect((await counted(`/posts/${missing}`, reader)).response.status).toBe(404);
  });

  it('remembers a missing page like a missing row: no database request for the second 404', async () => {
    const path = `/posts/${unique('nothing-here')}`;
    expect((await counted(path)).response.status).toBe(404);
    const again = await counted(path);
    // Two Upstash reads: the remembered absence, and the site settings the error page is shown with.
    expect([again.response.status, again.response.headers.get('x-cache'), again.upstash, again.neon]).toEqual([
      404,
      'HIT',
      2,
      0,
    ]);
  });
});

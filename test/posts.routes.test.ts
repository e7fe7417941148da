import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, signedIn, testDeps, unique, uniqueIp } from './helpers';

describe('GET /api/posts/by-slug/{slug}', () => {
  it('returns a published post with its author, tags and rendered HTML', async () => {
    const author = await createUser({ displayName: 'Grace Hopper' });
    const { slug } = await createPost({
      authorId: author.id,
      title: 'Compilers at the edge',
      markdown: '# Compilers\n\nFirst paragraph.\n\n## Details\n\nMore text.\n\n## Summary\n\nDone.',
      tags: [{ slug: 'compilers', name: 'Compilers' }],
    });
    const response = await call(`/api/posts/by-slug/${slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const post = await response.json<Record<string, any>>();
    expect(post).toMatchObject({
      slug,
      title: 'Compilers at the edge',
      status: 'published',
      excerpt: 'First paragraph.',
      author: { id: author.id, displayName: 'Grace Hopper' },
      tags: [{ slug: 'compilers', name: 'Compilers' }],
      version: 1,
    });
    expect(post.html).toContain('<h2 id="details">Details</h2>');
    expect(post.toc).toEqual([
      { id: 'details', text: 'Details', depth: 2 },
      { id: 'summary', text: 'Summary', depth: 2 },
    ]);
  });

  it('answers MISS first and HIT on the second read of the same post', async () => {
    const { slug } = await createPost();
    const first = await call(`/api/posts/by-slug/${slug}`);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await call(`/api/posts/by-slug/${slug}`);
    expect(second.headers.get('x-cache')).toBe('HIT');
    // The miss spent time in the database; the hit waited for nothing but the cache, so names no database time.
    expect(first.headers.get('server-timing')).toMatch(/\bdb;dur=[\d.]+/);
    expect(second.headers.get('server-timing') ?? '').not.toMatch(/\bdb;dur=/);
    expect(await second.json()).toEqual(await first.json());
  });

  it('returns 404 problem+json for an unknown slug, and caches the absence', async () => {
    const slug = unique('missing');
    const response = await call(`/api/posts/by-slug/${slug}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await response.json<Record<string, any>>();
    expect(problem).toMatchObject({ status: 404, code: 'not_found', instance: `/api/posts/by-slug/${slug}` });
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
    const again = await call(`/api/posts/by-slug/${slug}`);
    expect(again.status).toBe(404);
    expect(again.headers.get('x-cache')).toBe('HIT');
  });

  it('does not show drafts', async () => {
    const { slug } = await createPost({ status: 'draft', publishedAt: null });
    expect((await call(`/api/posts/by-slug/${slug}`)).status).toBe(404);
  });

  it('rejects a malformed slug with 422 and the offending field', async () => {
    const response = await call('/api/posts/by-slug/Not%20A%20Slug');
    expect(response.status).toBe(422);
    const problem = await response.json<Record<string, any>>();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors[0].path).toBe('param.slug');
  });
});

describe('GET /api/posts/{id}', () => {
  it('returns a published post by its id to anyone', async () => {
    const { id, slug } = await createPost({ title: 'By number' });
    const response = await call(`/api/posts/${id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id, slug, title: 'By number', status: 'published' });
  });

  it('shows a draft to its author only, privately', async () => {
    const author = await createUser({ role: 'author' });
    const { id } = await createPost({ authorId: author.id, status: 'draft', publishedAt: null });
    expect((await call(`/api/posts/${id}`)).status).toBe(404);
    expect((await call(`/api/posts/${id}`, { headers: await bearer(await createUser()) })).status).toBe(404);
    const own = await call(`/api/posts/${id}`, { headers: await bearer(author) });
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toBe('private, no-store');
  });

  it('reads a slug made of digits by slug; the same digits at /api/posts/{id} are an id, never a redirect', async () => {
    // Above the largest id, so as an id it is out of range: the id route answers, and says so.
    const digits = `9${String(Date.now()).slice(-9)}`;
    const { id } = await createPost({ slug: digits });
    expect((await (await call(`/api/posts/by-slug/${digits}`)).json<Record<string, any>>()).id).toBe(id);
    const asId = await call(`/api/posts/${digits}`);
    expect([asId.status, (await asId.json<Record<string, any>>()).errors[0].path]).toEqual([422, 'param.id']);
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    expect((await call('/api/posts/2147483000')).status).toBe(404);
    const problem = await (await call('/api/posts/0')).json<Record<string, any>>();
    expect(problem).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(problem.errors[0].path).toBe('param.id');
  });
});

describe("the previous release's slug addresses", () => {
  const deprecation = {
    deprecation: expect.stringMatching(/^@\d+$/),
    sunset: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/),
  };

  function redirectOf(response: Response) {
    return {
      status: response.status,
      location: response.headers.get('location'),
      deprecation: response.headers.get('deprecation'),
      sunset: response.headers.get('sunset'),
      link: response.headers.get('link'),
    };
  }

  it('redirects GET /api/posts/{slug} to /api/posts/by-slug/{slug} (308, query kept), saying it is deprecated', async () => {
    const { slug } = await createPost();
    const response = await call(`/api/posts/${slug}?x=1`);
    expect(redirectOf(response)).toEqual({
      status: 308,
      location: `/api/posts/by-slug/${slug}?x=1`,
      link: `</api/posts/by-slug/${slug}?x=1>; rel="successor-version"`,
      ...deprecation,
    });
    expect(new Date(response.headers.get('sunset')!).getTime()).toBeGreaterThan(
      Number(response.headers.get('deprecation')!.slice(1)) * 1000,
    );
  });

  it('redirects related posts, comments and reactions by slug to the same address by id', async () => {
    const { id, slug } = await createPost();
    const reader = await signedIn('reader');
    const cases: [string, RequestInit | undefined, string][] = [
      [`/api/posts/${slug}/related`, undefined, `/api/posts/${id}/related`],
      [`/api/posts/${slug}/comments?limit=5`, undefined, `/api/posts/${id}/comments?limit=5`],
      [
        `/api/posts/${slug}/comments`,
        jsonRequest('POST', { body: 'hi' }, { ...reader.headers, 'CF-Connecting-IP': uniqueIp() }),
        `/api/posts/${id}/comments`,
      ],
      [
        `/api/posts/${slug}/reactions/like`,
        { method: 'PUT', headers: reader.headers },
        `/api/posts/${id}/reactions/like`,
      ],
      [
        `/api/posts/${slug}/reactions/like`,
        { method: 'DELETE', headers: reader.headers },
        `/api/posts/${id}/reactions/like`,
      ],
    ];
    for (const [path, init, location] of cases) {
      const response = await call(path, init);
      expect([path, redirectOf(response)]).toEqual([
        path,
        { status: 308, location, link: `<${location}>; rel="successor-version"`, ...deprecation },
      ]);
    }
    // Nothing was written by a redirected request: the new address does the work when the client follows.
    expect((await (await call(`/api/posts/${id}/comments`)).json<Record<string, any>>()).total).toBe(0);
  });

  it('answers 404 for an old address of an unknown or unpublished post, 422 for a malformed slug', async () => {
    const draft = await createPost({ status: 'draft', publishedAt: null });
    expect((await call(`/api/posts/${draft.slug}/related`)).status).toBe(404);
    expect((await call(`/api/posts/${unique('nothing')}/comments`)).status).toBe(404);
    expect((await call('/api/posts/Not%20A%20Slug/related')).status).toBe(422);
  });

  it('leaves /api/posts/by-slug/{slug} to the current route, even for the slugs "related" and "comments"', async () => {
    for (const slug of ['related', 'comments']) {
      // Fixed slugs: the run's database is fresh, but a retried test finds its post already there.
      await createPost({ slug }).catch(() => undefined);
      const response = await call(`/api/posts/by-slug/${slug}`);
      expect([slug, response.status, (await response.json<Record<string, any>>()).slug]).toEqual([slug, 200, slug]);
    }
  });
});

describe('GET /api/posts', () => {
  it('pages through published posts newest first with a keyset cursor', async () => {
    const base = Date.now() - 86_400_000;
    const author = await createUser();
    const slugs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const post = await createPost({ authorId: author.id, publishedAt: new Date(base + i * 1000).toISOString() });
      slugs.push(post.slug);
    }
    await createPost({ authorId: author.id, status: 'draft', publishedAt: null });

    const first = await call(`/api/posts?limit=2&author=${author.username}`);
    expect(first.status).toBe(200);
    const page1 = await first.json<{ items: { slug: string }[]; nextCursor: string | null }>();
    expect(page1.items.map((p) => p.slug)).toEqual([slugs[2], slugs[1]]);
    expect(page1.nextCursor).toEqual(expect.any(String));

    const second = await call(
      `/api/posts?limit=2&author=${author.username}&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`,
    );
    const page2 = await second.json<{ items: { slug: string }[]; nextCursor: string | null }>();
    expect(page2.items.map((p) => p.slug)).toEqual([slugs[0]]);
    expect(page2.nextCursor).toBeNull();
  });

  it('rejects a limit above 100', async () => {
    const response = await call('/api/posts?limit=500');
    expect(response.status).toBe(422);
    expect((await response.json<Record<string, any>>()).errors[0].path).toBe('query.limit');
  });

  it('rejects a cursor it did not issue with 400', async () => {
    const response = await call('/api/posts?cursor=not-a-cursor');
    expect(response.status).toBe(400);
    expect((await response.json<Record<string, any>>()).code).toBe('bad_request');
  });
});

describe('GET /api/posts with crafted cursors', () => {
  const cursor = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

  it.each([
    ['an impossible date', '2026-13-45T99:99:99Z|3'],
    ['an id past int4', '2026-01-01T00:00:00Z|99999999999'],
    ['an id of zero', '2026-01-01T00:00:00Z|0'],
    ['extra fields', '2026-01-01T00:00:00Z|3|4'],
  ])('answers 400, not 500, for %s', async (_, text) => {
    for (const path of [`/api/posts?cursor=${cursor(text)}`, `/api/posts?tag=x&cursor=${cursor(text)}`]) {
      const response = await call(path);
      expect(response.status).toBe(400);
      expect((await response.json<Record<string, any>>()).code).toBe('bad_request');
    }
    expect((await call(`/?cursor=${cursor(text)}`)).status).toBe(400);
  });

  it('answers 400 for a search cursor whose rank is out of range', async () => {
    const response = await call(`/api/posts?q=edge&cursor=${cursor('1e40|3')}`);
    expect(response.status).toBe(400);
  });

  it('never caches pages behind a cursor', async () => {
    const author = await createUser();
    for (let i = 0; i < 3; i++) await createPost({ authorId: author.id });
    const first = await (await call(`/api/posts?limit=1&author=${author.username}`)).json<{ nextCursor: string }>();
    const path = `/api/posts?limit=1&author=${author.username}&cursor=${first.nextCursor}`;
    expect((await call(path)).headers.get('x-cache')).toBe('BYPASS');
    expect((await call(path)).headers.get('x-cache')).toBe('BYPASS');
  });

  it('keeps drafts created within one millisecond apart across pages (microsecond cursors)', async () => {
    const author = await createUser({ role: 'author' });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createPost({ authorId: author.id, status: 'draft', publishedAt: null })).id);
    // Drafts sort by created_at, which Postgres keeps to the microsecond; a millisecond cursor would skip two.
    const sql = testDeps().sql;
    for (const [i, id] of ids.entries()) {
      await sql`UPDATE posts SET created_at = ${`2026-01-01 00:00:00.12340${i + 1}+00`}::timestamptz WHERE id = ${id}`;
    }
    const headers = await bearer(author);
    const seen: number[] = [];
    let next: string | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = await (
        await call(`/api/posts?status=draft&limit=1${next ? `&cursor=${next}` : ''}`, { headers })
      ).json();
      seen.push(...page.items.map((p) => p.id));
      next = page.nextCursor;
    } while (next);
    expect(seen).toEqual([...ids].reverse());
  });
});

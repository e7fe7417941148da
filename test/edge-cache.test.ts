// The edge tier (Workers Cache): which responses it may keep and under which names, and that every write path purges
// the names of what it changed. Purges go to the Workers Cache stand-in's channel (test/global-setup.ts), which
// records them; a test finds its own by the unique names its write must purge.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { invalidate } from '../lib/cache';
import { cacheKeys, cacheTags, invalidateSiteSettings } from '../lib/cache-keys';
import { flushViews } from '../lib/views';
import { bearer, call, createPost, createUser, jsonRequest, signedIn, testDeps, unique, uniqueIp } from './helpers';
import { browserSignIn } from './web-helpers';

type Json = Record<string, any>;
interface PurgeRecord {
  request: { tags?: string[] };
  success: boolean;
}

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

async function purgedTagSets(): Promise<string[][]> {
  const url = String(env.CACHE_PURGE_URL).replace(/\/purge$/, '/purges');
  const records = await (await fetch(url)).json<PurgeRecord[]>();
  return records.filter((record) => record.success).map((record) => record.request.tags ?? []);
}

/** Every tag purged in a call that also purged `marker` (a name only this test's write can purge). */
async function purgedWith(marker: string): Promise<string[]> {
  const sets = (await purgedTagSets()).filter((tags) => tags.includes(marker));
  return [...new Set(sets.flat())];
}

function tagsOf(response: Response): string[] {
  return (response.headers.get('cache-tag') ?? '').split(',').filter(Boolean);
}

function expectShared(response: Response, tags: string[]) {
  expect(response.status).toBe(200);
  expect(response.headers.get('cloudflare-cdn-cache-control')).toMatch(
    /^public, max-age=\d+, stale-while-revalidate=\d+$/,
  );
  expect(response.headers.get('cache-control')).toBe('public, no-cache');
  expect(tagsOf(response)).toEqual(expect.arrayContaining([...tags, 'site']));
}

/** Never stored: `no-store` (the sign-in forms say only that), `private` where it is someone's own. */
function expectPersonal(response: Response) {
  expect(response.headers.get('cache-control')).toMatch(/^(private, )?no-store$/);
  expect(response.headers.get('cloudflare-cdn-cache-control')).toBeNull();
  expect(response.headers.get('cache-tag')).toBeNull();
}

describe('responses the same for every anonymous visitor', () => {
  it('are shared at the edge and named by what they show', async () => {
    const author = await createUser({ role: 'author' });
    const tag = unique('t');
    const { id, slug } = await createPost({ authorId: author.id, tags: [{ slug: tag, name: 'Edge tag' }] });
    const cases: [string, string[]][] = [
      ['/', ['posts']],
      [`/posts/${slug}`, [`post:${slug}`, 'posts']],
      ['/tags', ['posts']],
      [`/tags/${tag}`, [`tag:${tag}`, 'posts']],
      [`/authors/${author.username}`, [`author:${author.username.toLowerCase()}`, 'posts']],
      ['/archive', ['posts']],
      ['/feed.xml', ['posts']],
      ['/atom.xml', ['posts']],
      [`/tags/${tag}/feed.xml`, [`tag:${tag}`, 'posts']],
      [`/authors/${author.username}/feed.xml`, [`author:${author.username.toLowerCase()}`, 'posts']],
      ['/sitemap.xml', ['posts']],
      ['/robots.txt', []],
      ['/api/posts', ['posts']],
      [`/api/posts/by-slug/${slug}`, [`post:${slug}`]],
      [`/api/posts/${id}/related`, ['posts']],
      ['/api/tags', ['posts']],
    ];
    for (const [path, tags] of cases) {
      const response = await call(path);
      expectShared(response, tags);
      const vary = response.headers.get('vary') ?? '';
      if (path.startsWith('/api/')) expect(vary, path).toContain('Authorization');
      else if (!/\.(xml|txt)$/.test(path)) expect(vary, path).toContain('Cookie');
    }
  });

  it('are personal for a signed-in reader: their request carries the session cookie the pages vary on', async () => {
    const { slug } = await createPost();
    const reader = await createUser();
    const cookie = await browserSignIn(reader);
    for (const path of ['/', `/posts/${slug}`, '/tags', '/archive']) {
      const response = await call(path, { headers: { Cookie: cookie } });
      expect(response.status, path).toBe(200);
      expectPersonal(response);
    }
  });

  it('are personal for a bearer of a token, whatever the route', async () => {
    const { slug } = await createPost();
    const { headers } = await signedIn('reader');
    for (const path of ['/api/posts', `/api/posts/by-slug/${slug}`, '/api/tags']) {
      expectPersonal(await call(path, { headers }));
    }
  });
});

describe('responses that are never shared', () => {
  it('drafts (to their author), previews, forms, sign-ins, errors and the admin', async () => {
    const { user, headers } = await signedIn('author');
    const draft = await createPost({ authorId: user.id, status: 'draft', publishedAt: null });
    expectPersonal(await call(`/api/posts/by-slug/${draft.slug}`, { headers }));
    expectPersonal(await call(`/api/posts/${draft.id}`, { headers }));
    expectPersonal(await call('/api/markdown/preview', jsonRequest('POST', { markdown: '# Hi' }, headers)));
    expectPersonal(await call('/login'));
    expectPersonal(await call('/register'));
    expectPersonal(await call(`/posts/${unique('missing')}`));
    expectPersonal(await call(`/api/posts/by-slug/${draft.slug}`));
    const login = await call(
      '/api/auth/login',
      jsonRequest('POST', { email: user.email, password: user.password }, { 'CF-Connecting-IP': uniqueIp() }),
    );
    expect(login.headers.get('set-cookie')).not.toBeNull();
    expectPersonal(login);
    expectPersonal(await call('/admin', { headers: { Cookie: await browserSignIn(user) } }));
  });
});

describe('every write purges the edge names of what it changed', () => {
  it('publishing, editing and deleting a post', async () => {
    const author = await createUser({ role: 'author' });
    const auth = await bearer(author);
    const slug = unique('p');
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title: 'Edge', slug, markdown: 'x', status: 'published' }, auth),
    );
    const post = await created.json<Json>();
    expect(await purgedWith(`post:${slug}`)).toEqual(expect.arrayContaining([`post:${slug}`, 'posts']));

    const renamed = unique('p2');
    await call(`/api/posts/${post.id}`, jsonRequest('PATCH', { version: post.version, slug: renamed }, auth));
    expect(await purgedWith(`post:${renamed}`)).toEqual(
      expect.arrayContaining([`post:${slug}`, `post:${renamed}`, 'posts']),
    );

    const before = (await purgedTagSets()).length;
    expect((await call(`/api/posts/${post.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const after = (await purgedTagSets()).slice(before).flat();
    expect(after).toEqual(expect.arrayContaining([`post:${renamed}`, 'posts']));
  });

  it('renaming a tag purges the posts carrying it and every list', async () => {
    const tag = unique('t');
    const { slug } = await createPost({ tags: [{ slug: tag, name: 'Old' }] });
    const editor = await createUser({ role: 'editor' });
    await call(`/api/tags/${tag}`, jsonRequest('PATCH', { name: 'New' }, await bearer(editor)));
    expect(await purgedWith(`post:${slug}`)).toEqual(expect.arrayContaining([`post:${slug}`, 'posts']));
  });

  it('a comment purges its post (the page shows the thread)', async () => {
    const { id, slug } = await createPost();
    const { headers } = await signedIn('reader');
    const response = await call(
      `/api/posts/${id}/comments`,
      jsonRequest('POST', { body: 'Hello edge' }, { 'CF-Connecting-IP': uniqueIp(), ...headers }),
    );
    expect(response.status).toBe(201);
    expect(await purgedWith(`post:${slug}`)).toEqual(expect.arrayContaining([`post:${slug}`, `thread:${id}`]));
  });

  it('a reaction purges its post', async () => {
    const { id, slug } = await createPost();
    const { headers } = await signedIn('reader');
    const response = await call(`/api/posts/${id}/reactions/like`, { method: 'PUT', headers });
    expect(response.status).toBe(200);
    expect(await purgedWith(`post:${slug}`)).toContain(`post:${slug}`);
  });

  it('renaming an author purges their profile, every list and every thread', async () => {
    const author = await createUser({ role: 'author' });
    await call(`/api/users/${author.id}`, jsonRequest('PATCH', { displayName: 'Renamed' }, await bearer(author)));
    expect(await purgedWith(`user:${author.id}`)).toEqual(
      expect.arrayContaining([`user:${author.id}`, 'posts', 'comments']),
    );
  });

  it("the cron's view flush purges the posts whose counts it moved", async () => {
    const { slug } = await createPost();
    const beacon = { method: 'POST', headers: { 'User-Agent': BROWSER, 'CF-Connecting-IP': uniqueIp() } };
    expect((await call(`/api/posts/by-slug/${slug}/views`, beacon)).status).toBe(204);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    // Another file's cron may hold the flush lock and flush these views itself, purging through its own context.
    for (let i = 0; i < 100 && !(await purgedWith(`post:${slug}`)).length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await flushViews(testDeps());
    }
    expect(await purgedWith(`post:${slug}`)).toContain(`post:${slug}`);
  });

  it("the cron's publishing of a due scheduled post purges it and every list", async () => {
    const slug = unique('due');
    await createPost({ slug, status: 'scheduled', publishedAt: new Date(Date.now() - 60_000).toISOString() });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await purgedWith(`post:${slug}`)).toEqual(expect.arrayContaining([`post:${slug}`, 'posts']));
  });
});

describe('the one invalidation every write calls', () => {
  /** The test cache, with the edge purge recorded (the purge itself is the platform's, or the stand-in's). */
  function recordingCache() {
    const purged: string[][] = [];
    return { cache: { ...testDeps().cache, purgeEdge: (tags: string[]) => void purged.push(tags) }, purged };
  }

  it("purges each dropped entry's own name and each dropped tag set's name", async () => {
    const { cache, purged } = recordingCache();
    await invalidate(cache, [cacheKeys.post('a-post'), cacheKeys.user(7)], [cacheTags.comments]);
    expect(purged).toEqual([['post:a-post', 'user:7', 'comments']]);
  });

  it('purges everything shared when the site settings change (every shared response carries `site`)', async () => {
    const { cache, purged } = recordingCache();
    await invalidateSiteSettings(cache);
    expect(purged.flat()).toEqual(expect.arrayContaining(['site', 'posts']));
  });
});

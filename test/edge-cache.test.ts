// The edge tier (Workers Cache): which responses it may keep and under which names, and that every write path purges
// the names of what it changed. Purges go to the Workers Cache stand-in's channel (test/global-setup.ts), which
// records them; a test finds its own by the unique names its write must purge.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { invalidate } from '../lib/cache';
import { cacheKeys, cacheTags, invalidateSiteSettings } from '../lib/cache-keys';
import { flushViews } from '../lib/views';
import { edgeTagsOf, expectEachPurged, purgedSince, purgedTagSets, purgedWith, purgeMark } from './edge-purges';
import { bearer, call, createPost, createUser, jsonRequest, signedIn, testDeps, unique, uniqueIp } from './helpers';
import { browserSignIn } from './web-helpers';

type Json = Record<string, any>;

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

const tagsOf = edgeTagsOf;

/** Reads each path as an anonymous visitor: every one must be shared; their Cache-Tags, by path. */
async function sharedTags(paths: string[]): Promise<Record<string, string[]>> {
  const shown: Record<string, string[]> = {};
  for (const path of paths) {
    const response = await call(path);
    expect(response.status, path).toBe(200);
    await response.body?.cancel();
    shown[path] = tagsOf(response);
  }
  return shown;
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
    const page = await createPost({ authorId: author.id, type: 'page', slug: unique('about') });
    const cases: [string, string[]][] = [
      ['/', ['posts']],
      [`/posts/${slug}`, [`post:${slug}`, 'posts']],
      [`/${page.slug}`, [`post:${page.slug}`, 'posts']],
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

// Each write path through HTTP, as a client makes it: the shared responses that show what it changes are read first
// (their Cache-Tags), and after the write at least one name of each must have been purged, in the call that carries a
// name only this write purges. Post writes, tag renames, comments, reactions, user renames, the view flush and the
// cron's publishing are above; the site settings are in settings.routes.test.ts (their own site). Media uploads
// change no shared response (a post shows an image only once a post write names it), so they purge nothing.
describe('every write path purges each shared response that shows what it changed', () => {
  it('static pages: creating, editing and deleting one', async () => {
    const editor = await createUser({ role: 'editor' });
    const auth = await bearer(editor);
    const slug = unique('colophon');
    const mark = await purgeMark();
    const created = await call(
      '/api/pages',
      jsonRequest('POST', { title: 'Colophon', slug, markdown: 'Set in type.', status: 'published' }, auth),
    );
    expect(created.status).toBe(201);
    const page = await created.json<Json>();
    // A page shows under /{slug}; before it existed the address was a 404, never shared, so the names are checked.
    expect(await purgedSince(mark, `post:${slug}`)).toEqual(expect.arrayContaining([`post:${slug}`, 'posts']));

    const shown = await sharedTags([`/${slug}`]);
    expect(shown[`/${slug}`]).toContain(`post:${slug}`);
    const beforeEdit = await purgeMark();
    const edited = await call(
      `/api/pages/${page.id}`,
      jsonRequest('PATCH', { version: page.version, title: 'Type' }, auth),
    );
    expect(edited.status).toBe(200);
    expectEachPurged(shown, await purgedSince(beforeEdit, `post:${slug}`));

    const version = (await edited.json<Json>()).version;
    const beforeDelete = await purgeMark();
    expect((await call(`/api/pages/${page.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expectEachPurged({ [`/${slug}`]: shown[`/${slug}`]! }, await purgedSince(beforeDelete, `post:${slug}`));
    expect(version).toBeGreaterThan(page.version);
  });

  it('restoring a revision purges the post everywhere it shows', async () => {
    const author = await createUser({ role: 'author' });
    const auth = await bearer(author);
    const slug = unique('rev');
    const tag = unique('t');
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title: 'First', slug, markdown: 'One.', status: 'published', tags: [tag] }, auth),
    );
    const post = await created.json<Json>();
    const edited = await call(
      `/api/posts/${post.id}`,
      jsonRequest('PATCH', { version: post.version, title: 'Second' }, auth),
    );
    const { version } = await edited.json<Json>();
    const shown = await sharedTags([
      `/posts/${slug}`,
      `/api/posts/by-slug/${slug}`,
      '/',
      `/tags/${tag}`,
      `/authors/${author.username}`,
      '/feed.xml',
    ]);
    const revisions = (await (await call(`/api/posts/${post.id}/revisions`, { headers: auth })).json<Json>()).items;
    const mark = await purgeMark();
    const restored = await call(
      `/api/posts/${post.id}/revisions/${revisions.at(-1).id}/restore`,
      jsonRequest('POST', { version }, auth),
    );
    expect(restored.status).toBe(200);
    expect((await restored.json<Json>()).title).toBe('First');
    expectEachPurged(shown, await purgedSince(mark, `post:${slug}`));
  });

  it('comments: editing, hiding, restoring and deleting one purge the page that shows the thread', async () => {
    const { id, slug } = await createPost();
    const reader = await signedIn('reader');
    const editor = await signedIn('editor');
    const posted = await call(
      `/api/posts/${id}/comments`,
      jsonRequest('POST', { body: 'First thought' }, { 'CF-Connecting-IP': uniqueIp(), ...reader.headers }),
    );
    expect(posted.status).toBe(201);
    const comment = await posted.json<Json>();
    const writes: [string, RequestInit][] = [
      [`/api/comments/${comment.id}`, jsonRequest('PATCH', { body: 'Second thought' }, reader.headers)],
      [`/api/comments/${comment.id}/hide`, { method: 'POST', headers: editor.headers }],
      [`/api/comments/${comment.id}/restore`, { method: 'POST', headers: editor.headers }],
      [`/api/comments/${comment.id}`, { method: 'DELETE', headers: reader.headers }],
    ];
    for (const [path, init] of writes) {
      const shown = await sharedTags([`/posts/${slug}`]);
      const mark = await purgeMark();
      const response = await call(path, init);
      expect(response.status, `${init.method} ${path}`).toBeLessThan(300);
      const purged = await purgedSince(mark, `thread:${id}`);
      expect(purged, `${init.method} ${path}`).toContain(`thread:${id}`);
      expectEachPurged(shown, purged);
    }
  });

  it('tags: creating one purges every list; deleting one purges its posts and its page', async () => {
    const editor = await createUser({ role: 'editor' });
    const auth = await bearer(editor);
    const lists = await sharedTags(['/tags', '/api/tags']);
    const mark = await purgeMark();
    const slug = unique('fresh-tag');
    expect((await call('/api/tags', jsonRequest('POST', { name: 'Fresh', slug }, auth))).status).toBe(201);
    // Creating a tag names no post: what it purges is the lists' name, in a call of its own.
    expectEachPurged(lists, await purgedSince(mark, 'posts'));

    const tag = unique('t');
    const { slug: postSlug } = await createPost({ tags: [{ slug: tag, name: 'Going' }] });
    const shown = await sharedTags([`/posts/${postSlug}`, `/tags/${tag}`, `/tags/${tag}/feed.xml`, '/tags', '/']);
    const beforeDelete = await purgeMark();
    expect((await call(`/api/tags/${tag}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expectEachPurged(shown, await purgedSince(beforeDelete, `post:${postSlug}`));
  });

  it("users: a new bio purges the author's page; disabling and deleting purge their pages and threads", async () => {
    const author = await createUser({ role: 'author' });
    const admin = await signedIn('admin');
    const { id, slug } = await createPost({ authorId: author.id });
    const reader = await signedIn('reader');
    const commented = await call(
      `/api/posts/${id}/comments`,
      jsonRequest('POST', { body: 'Nice' }, { 'CF-Connecting-IP': uniqueIp(), ...reader.headers }),
    );
    expect(commented.status).toBe(201);
    const authorPages = [`/authors/${author.username}`, `/authors/${author.username}/feed.xml`];

    let shown = await sharedTags(authorPages);
    let mark = await purgeMark();
    const bio = await call(
      `/api/users/${author.id}`,
      jsonRequest('PATCH', { bio: 'Writes at dawn.' }, await bearer(author)),
    );
    expect(bio.status).toBe(200);
    expectEachPurged(shown, await purgedSince(mark, `user:${author.id}`));

    // A disabled reader's comments vanish from every thread.
    shown = await sharedTags([`/posts/${slug}`]);
    mark = await purgeMark();
    const disabled = await call(
      `/api/users/${reader.user.id}`,
      jsonRequest('PATCH', { disabled: true }, admin.headers),
    );
    expect(disabled.status).toBe(200);
    expectEachPurged(shown, await purgedSince(mark, `user:${reader.user.id}`));

    const leaving = await createUser({ role: 'author' });
    const leavingPages = await sharedTags([`/authors/${leaving.username}`]);
    mark = await purgeMark();
    expect((await call(`/api/users/${leaving.id}`, { method: 'DELETE', headers: admin.headers })).status).toBe(204);
    expectEachPurged(leavingPages, await purgedSince(mark, `user:${leaving.id}`));
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

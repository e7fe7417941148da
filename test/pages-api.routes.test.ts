// Static pages through HTTP: the /api/pages rules (who, reserved slugs, versions) and `/{slug}` serving them.
import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

type Json = Record<string, any>;

async function editorPage(body: Json = {}) {
  const editor = await createUser({ role: 'editor' });
  const headers = await bearer(editor);
  const response = await call(
    '/api/pages',
    jsonRequest(
      'POST',
      { title: 'About us', slug: unique('about'), markdown: 'We **write**.', status: 'published', ...body },
      headers,
    ),
  );
  return { editor, headers, response, page: await response.json<Json>() };
}

describe('POST /api/pages', () => {
  it('saves a page that is served at /{slug}, cached like a post page', async () => {
    const { response, page } = await editorPage();
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/pages/${page.id}`);
    expect(page).toMatchObject({ title: 'About us', status: 'published', version: 1 });
    expect(page.html).toContain('<strong>write</strong>');
    expect(page).not.toHaveProperty('tags');
    const first = await call(`/${page.slug}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const html = await first.text();
    expect(html).toContain('<h1>About us</h1>');
    expect(html).toContain(`<link rel="canonical" href="https://blog.example/${page.slug}"/>`);
    expect((await call(`/${page.slug}`)).headers.get('x-cache')).toBe('HIT');
  });

  it.each(['admin', 'tags', 'api', 'posts', 'setup', 'forgot', 'docs', 'static', 'media', 'feed', 'search'])(
    'refuses the reserved slug "%s" with a 422 naming the slug',
    async (slug) => {
      const { response, page } = await editorPage({ slug });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(page.errors).toEqual([{ path: 'body.slug', message: expect.stringContaining('reserved') }]);
    },
  );

  it('refuses a reserved slug derived from the title', async () => {
    const { response, page } = await editorPage({ title: 'Archive', slug: undefined });
    expect(response.status).toBe(422);
    expect(page.errors[0].path).toBe('body.slug');
  });

  it('refuses a slug a post already has (409), and authors (403)', async () => {
    const post = await createPost();
    expect((await editorPage({ slug: post.slug })).response.status).toBe(409);
    const author = await createUser({ role: 'author' });
    const response = await call(
      '/api/pages',
      jsonRequest('POST', { title: 'Mine', markdown: 'x', status: 'published' }, await bearer(author)),
    );
    expect(response.status).toBe(403);
  });
});

describe('PATCH and DELETE /api/pages/{id}', () => {
  it('edits the page (the served copy follows at once), refuses a stale version and a reserved slug', async () => {
    const { page, headers } = await editorPage();
    expect((await call(`/${page.slug}`)).status).toBe(200);
    const edited = await call(
      `/api/pages/${page.id}`,
      jsonRequest('PATCH', { version: 1, title: 'About me' }, headers),
    );
    expect(edited.status).toBe(200);
    expect(await edited.json<Json>()).toMatchObject({ version: 2, title: 'About me' });
    expect(await (await call(`/${page.slug}`)).text()).toContain('<h1>About me</h1>');

    const stale = await call(`/api/pages/${page.id}`, jsonRequest('PATCH', { version: 1, title: 'Old tab' }, headers));
    expect(stale.status).toBe(409);
    expect((await stale.json<Json>()).currentVersion).toBe(2);

    const reserved = await call(`/api/pages/${page.id}`, jsonRequest('PATCH', { version: 2, slug: 'login' }, headers));
    expect(reserved.status).toBe(422);
    expect((await reserved.json<Json>()).errors[0].path).toBe('body.slug');
  });

  it('is not the posts API: a page is not found as a post, nor a post as a page', async () => {
    const { page, headers, editor } = await editorPage();
    const post = await createPost({ authorId: editor.id });
    expect(
      (await call(`/api/posts/${page.id}`, jsonRequest('PATCH', { version: 1, title: 'x' }, headers))).status,
    ).toBe(404);
    expect(
      (await call(`/api/pages/${post.id}`, jsonRequest('PATCH', { version: 1, title: 'x' }, headers))).status,
    ).toBe(404);
    expect((await call(`/api/pages/${post.id}`)).status).toBe(404);
    expect((await call(`/api/posts/${page.id}`, { method: 'DELETE', headers })).status).toBe(404);
  });

  it('deletes the page, and /{slug} is gone', async () => {
    const { page, headers } = await editorPage();
    expect((await call(`/${page.slug}`)).status).toBe(200);
    expect((await call(`/api/pages/${page.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await call(`/${page.slug}`)).status).toBe(404);
    expect((await call(`/api/pages/${page.id}`)).status).toBe(404);
  });
});

describe('GET /api/pages', () => {
  it('lists published pages for everyone, drafts only for editors', async () => {
    const { page: published, headers } = await editorPage();
    const { page: draft } = await editorPage({ status: 'draft' });
    const open = (await (await call('/api/pages')).json<Json>()).items.map((p: Json) => p.slug);
    expect(open).toContain(published.slug);
    expect(open).not.toContain(draft.slug);
    expect((await call(`/${draft.slug}`)).status).toBe(404);
    expect((await call(`/api/pages/${draft.id}`)).status).toBe(404);
    expect((await call(`/api/pages/${draft.id}`, { headers })).status).toBe(200);

    expect((await call('/api/pages?status=all')).status).toBe(401);
    const author = await createUser({ role: 'author' });
    expect((await call('/api/pages?status=all', { headers: await bearer(author) })).status).toBe(403);
    const all = (await (await call('/api/pages?status=all', { headers })).json<Json>()).items.map((p: Json) => p.slug);
    expect(all).toEqual(expect.arrayContaining([published.slug, draft.slug]));
  });
});

describe('GET /posts/{slug} of a page', () => {
  it('is a 404: a page lives at /{slug} only', async () => {
    const { page } = await editorPage();
    expect((await call(`/posts/${page.slug}`)).status).toBe(404);
    expect((await call(`/${page.slug}`)).status).toBe(200);
  });

  it('leaves addresses that are not slugs to the other routes, or to the 404 page', async () => {
    expect((await call('/openapi.json')).status).toBe(200);
    const missing = await call('/no-such.thing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await call(`/${unique('nothing')}`)).status).toBe(404);
  });
});

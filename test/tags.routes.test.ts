import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

type Json = Record<string, any>;

describe('GET /api/tags', () => {
  it('lists tags with their published post counts', async () => {
    const slug = unique('counted');
    // Written through the API, as an author would, so the cached tag list is dropped as in production.
    const headers = await bearer(await createUser({ role: 'author' }));
    for (const status of ['published', 'published', 'draft']) {
      const response = await call(
        '/api/posts',
        jsonRequest('POST', { title: 'Counted', slug: unique('c'), markdown: 'x', status, tags: [slug] }, headers),
      );
      expect(response.status).toBe(201);
    }
    const tags = (await (await call('/api/tags')).json<Json>()).items;
    expect(tags.find((t: Json) => t.slug === slug)).toMatchObject({ slug, postCount: 2 });
  });

  it('reads one tag, or 404', async () => {
    const slug = unique('one');
    await createPost({ tags: [{ slug, name: 'One' }] });
    expect(await (await call(`/api/tags/${slug}`)).json<Json>()).toMatchObject({ slug, name: 'One', postCount: 1 });
    expect((await call(`/api/tags/${unique('none')}`)).status).toBe(404);
  });
});

describe('tag management', () => {
  it('lets an editor create, rename and delete a tag', async () => {
    const editor = await createUser({ role: 'editor' });
    const headers = await bearer(editor);
    const name = `Serverless ${unique('n')}`;
    const created = await call(
      '/api/tags',
      jsonRequest('POST', { name, description: 'Functions without servers' }, headers),
    );
    expect(created.status).toBe(201);
    const tag = await created.json<Json>();
    expect(tag).toMatchObject({ name, postCount: 0 });
    const renamed = await call(`/api/tags/${tag.slug}`, jsonRequest('PATCH', { name: 'Renamed' }, headers));
    expect(await renamed.json<Json>()).toMatchObject({ slug: tag.slug, name: 'Renamed' });
    expect((await call(`/api/tags/${tag.slug}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await call(`/api/tags/${tag.slug}`)).status).toBe(404);
  });

  it('keeps posts when their tag is deleted, and drops the tag from the cached post', async () => {
    const editor = await createUser({ role: 'editor' });
    const slug = unique('doomed');
    const post = await createPost({ tags: [{ slug, name: slug }] });
    expect((await (await call(`/api/posts/by-slug/${post.slug}`)).json<Json>()).tags).toHaveLength(1);
    await call(`/api/tags/${slug}`, { method: 'DELETE', headers: await bearer(editor) });
    const after = await call(`/api/posts/by-slug/${post.slug}`);
    expect(after.status).toBe(200);
    expect((await after.json<Json>()).tags).toEqual([]);
  });

  it('answers 409 for a duplicate slug', async () => {
    const editor = await createUser({ role: 'editor' });
    const slug = unique('dup');
    await call('/api/tags', jsonRequest('POST', { name: 'A', slug }, await bearer(editor)));
    const again = await call('/api/tags', jsonRequest('POST', { name: 'B', slug }, await bearer(editor)));
    expect(again.status).toBe(409);
  });

  it('refuses authors (403) and anonymous callers (401)', async () => {
    const author = await createUser({ role: 'author' });
    expect((await call('/api/tags', jsonRequest('POST', { name: 'Nope' }, await bearer(author)))).status).toBe(403);
    expect((await call('/api/tags', jsonRequest('POST', { name: 'Nope' }))).status).toBe(401);
  });

  it('answers 422 for an empty PATCH', async () => {
    const editor = await createUser({ role: 'editor' });
    const slug = unique('empty');
    await createPost({ tags: [{ slug, name: slug }] });
    const response = await call(`/api/tags/${slug}`, jsonRequest('PATCH', {}, await bearer(editor)));
    expect(response.status).toBe(422);
  });
});

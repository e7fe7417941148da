// Writes that change what cached pages show must drop those pages, not leave them for the fresh window.
import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

type Json = Record<string, any>;

describe('renaming an author', () => {
  it('drops cached posts and lists that show the old name', async () => {
    const author = await createUser({ role: 'author', displayName: 'Old Name' });
    const { slug } = await createPost({ authorId: author.id });
    const list = `/api/posts?author=${author.username}`;
    await call(`/api/posts/by-slug/${slug}`);
    await call(list);
    expect((await call(`/api/posts/by-slug/${slug}`)).headers.get('x-cache')).toBe('HIT');

    const renamed = await call(
      `/api/users/${author.id}`,
      jsonRequest('PATCH', { displayName: 'New Name' }, await bearer(author)),
    );
    expect(renamed.status).toBe(200);

    expect((await (await call(`/api/posts/by-slug/${slug}`)).json<Json>()).author.displayName).toBe('New Name');
    expect((await (await call(list)).json<Json>()).items[0].author.displayName).toBe('New Name');
  });
});

describe('renaming a tag', () => {
  it('drops cached posts that show the old tag name', async () => {
    const tagSlug = unique('tag');
    const { slug } = await createPost({ tags: [{ slug: tagSlug, name: 'Old tag' }] });
    await call(`/api/posts/by-slug/${slug}`);
    expect((await call(`/api/posts/by-slug/${slug}`)).headers.get('x-cache')).toBe('HIT');
    const editor = await createUser({ role: 'editor' });
    await call(`/api/tags/${tagSlug}`, jsonRequest('PATCH', { name: 'New tag' }, await bearer(editor)));
    expect((await (await call(`/api/posts/by-slug/${slug}`)).json<Json>()).tags).toEqual([
      { slug: tagSlug, name: 'New tag' },
    ]);
  });
});

describe('tags of unpublished posts', () => {
  it('stay private until a post carrying them is published', async () => {
    const author = await createUser({ role: 'author' });
    const secret = unique('secret-acquisition');
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title: 'Draft', slug: unique('d'), markdown: 'x', tags: [secret] }, await bearer(author)),
    );
    const draft = await created.json<Json>();
    expect((await call(`/api/tags/${secret}`)).status).toBe(404);
    expect((await (await call('/api/tags')).json<Json>()).items.map((t: Json) => t.slug)).not.toContain(secret);

    await call(
      `/api/posts/${draft.id}`,
      jsonRequest('PATCH', { version: draft.version, status: 'published' }, await bearer(author)),
    );
    expect((await call(`/api/tags/${secret}`)).status).toBe(200);
    expect((await (await call('/api/tags')).json<Json>()).items.map((t: Json) => t.slug)).toContain(secret);
  });
});

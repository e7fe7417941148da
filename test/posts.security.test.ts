import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

type Json = Record<string, any>;
const body = () => ({ title: 'T', slug: unique('sec'), markdown: 'x' });

describe('who may write posts', () => {
  it('refuses anonymous writes with 401', async () => {
    const response = await call('/api/posts', jsonRequest('POST', body()));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses readers with 403', async () => {
    const reader = await createUser({ role: 'reader' });
    const response = await call('/api/posts', jsonRequest('POST', body(), await bearer(reader)));
    expect(response.status).toBe(403);
    expect((await response.json<Json>()).code).toBe('forbidden');
  });

  it('refuses an author editing someone else’s published post with 403', async () => {
    const { id } = await createPost();
    const other = await createUser({ role: 'author' });
    const response = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { version: 1, title: 'Hijack' }, await bearer(other)),
    );
    expect(response.status).toBe(403);
  });

  it('hides someone else’s draft from another author (404), even when they try to edit or delete it', async () => {
    const { id, slug } = await createPost({ status: 'draft', publishedAt: null });
    const other = await createUser({ role: 'author' });
    const headers = await bearer(other);
    expect((await call(`/api/posts/by-slug/${slug}`, { headers })).status).toBe(404);
    expect((await call(`/api/posts/${id}`, jsonRequest('PATCH', { version: 1, title: 'x' }, headers))).status).toBe(
      404,
    );
    expect((await call(`/api/posts/${id}`, { method: 'DELETE', headers })).status).toBe(404);
  });

  it('shows any draft to an editor', async () => {
    const { slug } = await createPost({ status: 'draft', publishedAt: null });
    const editor = await createUser({ role: 'editor' });
    expect((await call(`/api/posts/by-slug/${slug}`, { headers: await bearer(editor) })).status).toBe(200);
  });

  it('lists drafts only for signed-in authors, and only their own', async () => {
    expect((await call('/api/posts?status=draft')).status).toBe(401);
    const reader = await createUser({ role: 'reader' });
    expect((await call('/api/posts?status=draft', { headers: await bearer(reader) })).status).toBe(403);
    const author = await createUser({ role: 'author' });
    await createPost({ status: 'draft', publishedAt: null }); // someone else's
    const mine = await createPost({ authorId: author.id, status: 'draft', publishedAt: null });
    const page = await (await call('/api/posts?status=draft', { headers: await bearer(author) })).json<Json>();
    expect(page.items.map((p: Json) => p.slug)).toEqual([mine.slug]);
  });

  it('refuses a forged token', async () => {
    const response = await call(
      '/api/posts',
      jsonRequest('POST', body(), { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' }),
    );
    expect(response.status).toBe(401);
  });

  it('refuses a markdown preview for anonymous callers', async () => {
    expect((await call('/api/markdown/preview', jsonRequest('POST', { markdown: 'x' }))).status).toBe(401);
  });
});

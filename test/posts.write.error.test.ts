import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

type Json = Record<string, any>;

async function postAs(role: 'author' | 'editor', body: unknown, init: Partial<RequestInit> = {}) {
  const user = await createUser({ role });
  const request = jsonRequest('POST', body, await bearer(user));
  return call('/api/posts', {
    ...request,
    ...init,
    headers: { ...(request.headers as Record<string, string>), ...(init.headers as Record<string, string>) },
  });
}

describe('POST /api/posts with bad input', () => {
  it.each([
    ['a missing title', { markdown: 'x' }, 'body.title'],
    ['an empty markdown body', { title: 'T', markdown: '' }, 'body.markdown'],
    ['a title of the wrong type', { title: 42, markdown: 'x' }, 'body.title'],
    ['an unknown status', { title: 'T', markdown: 'x', status: 'live' }, 'body.status'],
    ['a malformed slug', { title: 'T', markdown: 'x', slug: 'Bad Slug!' }, 'body.slug'],
    ['a bad publishedAt', { title: 'T', markdown: 'x', publishedAt: 'tomorrow' }, 'body.publishedAt'],
    ['too many tags', { title: 'T', markdown: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'body.tags'],
  ])('answers 422 naming the field for %s', async (_, body, path) => {
    const response = await postAs('author', body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await response.json<Json>();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e: Json) => e.path)).toContain(path);
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await postAs('author', null, { body: '{"title": "T", "markdown": ' });
    expect(response.status).toBe(400);
    expect((await response.json<Json>()).code).toBe('bad_request');
  });

  it('refuses a non-JSON content type', async () => {
    const response = await postAs('author', null, {
      body: 'title=T',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses markdown over 200 KB with 422 before rendering it', async () => {
    const response = await postAs('author', { title: 'Huge', markdown: 'a'.repeat(200 * 1024 + 1) });
    expect(response.status).toBe(422);
    expect((await response.json<Json>()).errors[0].path).toBe('body.markdown');
  });

  it('refuses a body over the size limit with 413 before parsing it', async () => {
    const response = await postAs('author', { title: 'Huge', markdown: 'a'.repeat(1_100_000) });
    expect(response.status).toBe(413);
    expect((await response.json<Json>()).code).toBe('payload_too_large');
  });

  it('answers 400, not 500, for markdown that overflows the renderer', async () => {
    const response = await postAs('author', { title: 'Deep', markdown: '>'.repeat(1000) });
    expect(response.status).toBe(400);
    expect((await response.json<Json>()).detail).toMatch(/nested/);
  });

  it('answers 409 when the slug is taken', async () => {
    const { slug } = await createPost();
    const response = await postAs('author', { title: 'Dup', slug, markdown: 'x' });
    expect(response.status).toBe(409);
    expect((await response.json<Json>()).code).toBe('conflict');
  });

  it('answers 422 for scheduling in the past', async () => {
    const response = await postAs('author', {
      title: 'Past',
      slug: unique('past'),
      markdown: 'x',
      status: 'scheduled',
      publishedAt: '2020-01-01T00:00:00Z',
    });
    expect(response.status).toBe(422);
    expect((await response.json<Json>()).errors[0].path).toBe('body.publishedAt');
  });

  it('answers 422 for scheduling without a time', async () => {
    const response = await postAs('author', {
      title: 'When',
      slug: unique('when'),
      markdown: 'x',
      status: 'scheduled',
    });
    expect(response.status).toBe(422);
  });
});

describe('PATCH /api/posts/:id conflicts', () => {
  it('refuses a stale version with 409 and the current version, keeping the other writer’s change', async () => {
    const author = await createUser({ role: 'author' });
    const { id, slug } = await createPost({ authorId: author.id });
    const headers = await bearer(author);
    const first = await call(`/api/posts/${id}`, jsonRequest('PATCH', { version: 1, title: 'First writer' }, headers));
    expect(first.status).toBe(200);
    const second = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { version: 1, title: 'Second writer' }, headers),
    );
    expect(second.status).toBe(409);
    const problem = await second.json<Json>();
    expect(problem).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    expect((await (await call(`/api/posts/by-slug/${slug}`)).json<Json>()).title).toBe('First writer');
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const author = await createUser({ role: 'author' });
    const { id } = await createPost({ authorId: author.id });
    const headers = await bearer(author);
    const results = await Promise.all(
      ['A', 'B'].map((t) => call(`/api/posts/${id}`, jsonRequest('PATCH', { version: 1, title: t }, headers))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('requires the version', async () => {
    const author = await createUser({ role: 'author' });
    const { id } = await createPost({ authorId: author.id });
    const response = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { title: 'No version' }, await bearer(author)),
    );
    expect(response.status).toBe(422);
    expect((await response.json<Json>()).errors[0].path).toBe('body.version');
  });

  it('answers 404 for a post that does not exist', async () => {
    const editor = await createUser({ role: 'editor' });
    const response = await call(
      '/api/posts/2147483000',
      jsonRequest('PATCH', { version: 1, title: 'x' }, await bearer(editor)),
    );
    expect(response.status).toBe(404);
  });
});

describe('publication times', () => {
  it('publishes a scheduled post now when asked to publish it, not at its scheduled time', async () => {
    const author = await createUser({ role: 'author' });
    const { id } = await createPost({
      authorId: author.id,
      status: 'scheduled',
      publishedAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const response = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { version: 1, status: 'published' }, await bearer(author)),
    );
    expect(response.status).toBe(200);
    const post = await response.json<Json>();
    expect(Math.abs(Date.parse(post.publishedAt) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a published post dated in the future (422: schedule it instead)', async () => {
    const response = await postAs('author', {
      title: 'Future',
      slug: unique('future'),
      markdown: 'x',
      status: 'published',
      publishedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(response.status).toBe(422);
    expect((await response.json<Json>()).errors[0].path).toBe('body.publishedAt');
  });

  it.each(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59'])(
    'answers 422, not 500, for the extreme date %s',
    async (publishedAt) => {
      const response = await postAs('author', {
        title: 'Odd',
        slug: unique('odd'),
        markdown: 'x',
        status: 'scheduled',
        publishedAt,
      });
      expect(response.status).toBe(422);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

type Json = Record<string, any>;

describe('POST /api/posts', () => {
  it('saves a post, rendering markdown to sanitized HTML with a TOC, excerpt and reading time', async () => {
    const author = await createUser({ role: 'author' });
    const title = `Edge caching ${unique('t')}`;
    const response = await call(
      '/api/posts',
      jsonRequest(
        'POST',
        {
          title,
          markdown: 'Intro line.\n\n## First\n\nText <img src=x onerror=alert(1)>\n\n## Second\n\nMore.',
          status: 'published',
          tags: ['Edge Computing', 'Caching'],
        },
        await bearer(author),
      ),
    );
    expect(response.status).toBe(201);
    const post = await response.json<Json>();
    expect(post.slug).toMatch(/^edge-caching-t-/);
    expect(response.headers.get('location')).toBe(`/api/posts/${post.id}`);
    expect(post).toMatchObject({ title, status: 'published', version: 1, excerpt: 'Intro line.', readingMinutes: 1 });
    expect(post.author.id).toBe(author.id);
    expect(post.html).toContain('<h2 id="first">First</h2>');
    expect(post.html).not.toContain('onerror');
    expect(post.toc.map((e: Json) => e.id)).toEqual(['first', 'second']);
    expect(post.tags).toEqual([
      { slug: 'caching', name: 'Caching' },
      { slug: 'edge-computing', name: 'Edge Computing' },
    ]);
    expect(Date.parse(post.publishedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call(`/api/posts/by-slug/${post.slug}`)).status).toBe(200);
  });

  it('keeps a draft out of public reads but shows it to its author', async () => {
    const author = await createUser({ role: 'author' });
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title: 'Secret draft', slug: unique('draft'), markdown: 'Not yet.' }, await bearer(author)),
    );
    const draft = await created.json<Json>();
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null });
    expect((await call(`/api/posts/by-slug/${draft.slug}`)).status).toBe(404);
    const mine = await call(`/api/posts/by-slug/${draft.slug}`, { headers: await bearer(author) });
    expect(mine.status).toBe(200);
    const drafts = await call('/api/posts?status=draft', { headers: await bearer(author) });
    expect((await drafts.json<Json>()).items.map((p: Json) => p.slug)).toEqual([draft.slug]);
  });

  it('schedules a post for a future time', async () => {
    const author = await createUser({ role: 'author' });
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const response = await call(
      '/api/posts',
      jsonRequest(
        'POST',
        { title: 'Later', slug: unique('later'), markdown: 'Soon.', status: 'scheduled', publishedAt: at },
        await bearer(author),
      ),
    );
    expect(response.status).toBe(201);
    expect(await response.json<Json>()).toMatchObject({ status: 'scheduled', publishedAt: at });
  });
});

describe('PATCH /api/posts/:id', () => {
  it('saves an edit made against the current version and bumps the version', async () => {
    const author = await createUser({ role: 'author' });
    const { id, slug } = await createPost({ authorId: author.id });
    const response = await call(
      `/api/posts/${id}`,
      jsonRequest(
        'PATCH',
        { version: 1, title: 'Renamed', markdown: '## New body\n\nFresh.', tags: ['Fresh'] },
        await bearer(author),
      ),
    );
    expect(response.status).toBe(200);
    const post = await response.json<Json>();
    expect(post).toMatchObject({
      id,
      slug,
      title: 'Renamed',
      version: 2,
      excerpt: 'Fresh.',
      tags: [{ slug: 'fresh', name: 'Fresh' }],
    });
    expect(post.html).toContain('<h2 id="new-body">New body</h2>');
  });

  it('lets an editor edit anyone’s post', async () => {
    const { id } = await createPost();
    const editor = await createUser({ role: 'editor' });
    const response = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { version: 1, title: 'Edited by an editor' }, await bearer(editor)),
    );
    expect(response.status).toBe(200);
  });

  it('changes the slug and frees the old address', async () => {
    const author = await createUser({ role: 'author' });
    const { id, slug } = await createPost({ authorId: author.id });
    await call(`/api/posts/by-slug/${slug}`); // cache the old slug
    const newSlug = unique('moved');
    const response = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { version: 1, slug: newSlug }, await bearer(author)),
    );
    expect(response.status).toBe(200);
    expect((await call(`/api/posts/by-slug/${slug}`)).status).toBe(404);
    expect((await call(`/api/posts/by-slug/${newSlug}`)).status).toBe(200);
  });
});

describe('DELETE /api/posts/:id', () => {
  it('deletes the post and its cached copy', async () => {
    const author = await createUser({ role: 'author' });
    const { id, slug } = await createPost({ authorId: author.id });
    expect((await call(`/api/posts/by-slug/${slug}`)).status).toBe(200);
    const response = await call(`/api/posts/${id}`, { method: 'DELETE', headers: await bearer(author) });
    expect(response.status).toBe(204);
    expect((await call(`/api/posts/by-slug/${slug}`)).status).toBe(404);
  });
});

describe('cache invalidation on writes', () => {
  it('serves the edited post, not the cached one, right after a PATCH', async () => {
    const author = await createUser({ role: 'author' });
    const { id, slug } = await createPost({ authorId: author.id, title: 'Before' });
    expect((await call(`/api/posts/by-slug/${slug}`)).headers.get('x-cache')).toBe('MISS');
    expect((await call(`/api/posts/by-slug/${slug}`)).headers.get('x-cache')).toBe('HIT');
    await call(`/api/posts/${id}`, jsonRequest('PATCH', { version: 1, title: 'After' }, await bearer(author)));
    const read = await call(`/api/posts/by-slug/${slug}`);
    expect(read.headers.get('x-cache')).toBe('MISS');
    expect((await read.json<Json>()).title).toBe('After');
  });

  it('drops cached list pages when a post is published', async () => {
    const author = await createUser({ role: 'author' });
    await createPost({ authorId: author.id });
    const list = `/api/posts?author=${author.username}`;
    expect((await (await call(list)).json<Json>()).items).toHaveLength(1);
    expect((await call(list)).headers.get('x-cache')).toBe('HIT');
    await call(
      '/api/posts',
      jsonRequest(
        'POST',
        { title: 'Second', slug: unique('second'), markdown: 'Two.', status: 'published' },
        await bearer(author),
      ),
    );
    const after = await call(list);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect((await after.json<Json>()).items).toHaveLength(2);
  });
});

describe('GET /api/posts filters', () => {
  it('searches title and body with ranking, title matches first', async () => {
    const author = await createUser();
    const word = `zq${Math.random().toString(36).slice(2, 8)}`;
    const inBody = await createPost({
      authorId: author.id,
      title: 'Something else',
      markdown: `A body mentioning ${word} once.`,
    });
    const inTitle = await createPost({
      authorId: author.id,
      title: `All about ${word}`,
      markdown: `${word} ${word} in the body too.`,
    });
    await createPost({ authorId: author.id, title: 'Unrelated', markdown: 'Nothing here.' });
    const response = await call(`/api/posts?q=${word}`);
    expect(response.status).toBe(200);
    const slugs = (await response.json<Json>()).items.map((p: Json) => p.slug);
    expect(slugs).toEqual([inTitle.slug, inBody.slug]);
  });

  it('pages through search results with a rank cursor', async () => {
    const author = await createUser();
    const word = `zr${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 3; i++)
      await createPost({ authorId: author.id, markdown: `${word} ${'filler '.repeat(i * 5)}` });
    const first = await (await call(`/api/posts?q=${word}&limit=2`)).json<Json>();
    expect(first.items).toHaveLength(2);
    const second = await (await call(`/api/posts?q=${word}&limit=2&cursor=${first.nextCursor}`)).json<Json>();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((p: Json) => p.slug);
    expect(new Set(all).size).toBe(3);
  });

  it('filters by tag', async () => {
    const tagSlug = unique('tag');
    const tagged = await createPost({ tags: [{ slug: tagSlug, name: tagSlug }] });
    await createPost();
    const response = await call(`/api/posts?tag=${tagSlug}`);
    expect((await response.json<Json>()).items.map((p: Json) => p.slug)).toEqual([tagged.slug]);
  });

  it('trims each post to the requested fields', async () => {
    const author = await createUser();
    await createPost({ authorId: author.id });
    const page = await (await call(`/api/posts?author=${author.username}&fields=slug,title`)).json<Json>();
    expect(Object.keys(page.items[0]).sort()).toEqual(['slug', 'title']);
  });
});

describe('GET /api/posts/{id}/related', () => {
  it('lists published posts sharing the most tags, most shared first', async () => {
    const a = unique('ta');
    const b = unique('tb');
    const tags = (...slugs: string[]) => slugs.map((slug) => ({ slug, name: slug }));
    const post = await createPost({ tags: tags(a, b) });
    const both = await createPost({ tags: tags(a, b) });
    const one = await createPost({ tags: tags(a) });
    await createPost({ tags: tags(a, b), status: 'draft', publishedAt: null });
    const response = await call(`/api/posts/${post.id}/related`);
    expect(response.status).toBe(200);
    expect((await response.json<Json>()).items.map((p: Json) => p.slug)).toEqual([both.slug, one.slug]);
  });
});

describe('POST /api/markdown/preview', () => {
  it('renders exactly what a save would store', async () => {
    const author = await createUser({ role: 'author' });
    const markdown = '## Preview me\n\nBody <script>x</script>';
    const response = await call('/api/markdown/preview', jsonRequest('POST', { markdown }, await bearer(author)));
    expect(response.status).toBe(200);
    const preview = await response.json<Json>();
    expect(preview.html).toContain('<h2 id="preview-me">Preview me</h2>');
    expect(preview.html).not.toContain('<script');
    expect(preview.toc).toEqual([{ id: 'preview-me', text: 'Preview me', depth: 2 }]);
  });
});

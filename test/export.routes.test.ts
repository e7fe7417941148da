import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { getPostBySlug } from '../lib/db/posts';
import { parsePostFile } from '../lib/front-matter';
import { call, createPost, createUser, signedIn, testDeps, unique } from './helpers';

describe('GET /api/export', () => {
  it('gives admins a zip with every post, drafts included, as markdown with front matter', async () => {
    const author = await createUser({ role: 'author' });
    const published = await createPost({
      authorId: author.id,
      title: 'Exported: with a colon',
      markdown: '## Kept\n\nAs written.',
      publishedAt: '2026-01-02T03:04:05.000Z',
      tags: [{ slug: unique('t'), name: 'Exports' }],
    });
    const draft = await createPost({ authorId: author.id, status: 'draft', publishedAt: null, slug: unique('draft') });
    const { headers } = await signedIn('admin');

    const response = await call('/api/export', { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="lembas-export-[\d-]+\.zip"$/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const text = (name: string) => new TextDecoder().decode(files[name]);

    const names = Object.keys(files);
    expect(names).toEqual([...names].sort());
    expect(parsePostFile(text(`posts/${published.slug}.md`), 'x.md')).toEqual({
      ok: true,
      post: {
        title: 'Exported: with a colon',
        slug: published.slug,
        date: '2026-01-02T03:04:05.000Z',
        author: author.username,
        tags: ['Exports'],
        excerpt: null,
        draft: false,
        markdown: '## Kept\n\nAs written.',
      },
    });
    // A draft's date is when it was written (the import keeps it as the draft's creation time).
    const saved = await getPostBySlug(testDeps().sql, draft.slug);
    expect(parsePostFile(text(`posts/${draft.slug}.md`), 'x.md')).toMatchObject({
      ok: true,
      post: { draft: true, date: saved?.createdAt },
    });
  });

  it('is for admins only: editors get 403, anonymous callers 401', async () => {
    expect((await call('/api/export', { headers: (await signedIn('editor')).headers })).status).toBe(403);
    const anonymous = await call('/api/export');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
  });
});

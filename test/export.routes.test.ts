import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { getPostBySlug } from '../lib/db/posts';
import { parsePostFile } from '../lib/front-matter';
import { importPostFiles } from '../lib/import';
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
        page: false,
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

  it('exports pages as pages/<slug>.md, which the import restores as pages', async () => {
    const { user: admin, headers } = await signedIn('admin');
    const page = await createPost({
      authorId: admin.id,
      type: 'page',
      title: 'Colophon',
      markdown: 'Set in *type*.',
      slug: unique('colophon'),
    });
    const files = unzipSync(new Uint8Array(await (await call('/api/export', { headers })).arrayBuffer()));
    const name = `pages/${page.slug}.md`;
    const text = new TextDecoder().decode(files[name]);
    expect(text).toContain('\nlayout: page\n');
    expect(files[`posts/${page.slug}.md`]).toBeUndefined();

    const deps = testDeps();
    const actor = { id: admin.id, username: admin.username, displayName: admin.displayName, role: admin.role };
    await call(`/api/pages/${page.id}`, { method: 'DELETE', headers });
    expect(await getPostBySlug(deps.sql, page.slug)).toBeNull();
    const summary = await importPostFiles(deps, actor, [{ path: name, text }]);
    expect(summary).toMatchObject({ created: 1, refused: [] });
    expect(await getPostBySlug(deps.sql, page.slug)).toMatchObject({
      type: 'page',
      title: 'Colophon',
      status: 'published',
      markdown: 'Set in *type*.',
    });
    expect(await (await call(`/${page.slug}`)).text()).toContain('<em>type</em>');
    // A second import changes nothing; a page file may not take a reserved slug, nor a post's.
    expect(await importPostFiles(deps, actor, [{ path: name, text }])).toMatchObject({ unchanged: 1 });
    const post = await createPost();
    const clash = await importPostFiles(deps, actor, [
      { path: 'pages/x.md', text: '---\ntitle: Tags\nslug: tags\n---\nx' },
      { path: 'pages/y.md', text: `---\ntitle: Clash\nslug: ${post.slug}\n---\nx` },
    ]);
    expect(clash.refused.map((r) => r.reason)).toEqual([
      expect.stringContaining('address of the site'),
      expect.stringContaining('already a post'),
    ]);
  });

  it('is for admins only: editors get 403, anonymous callers 401', async () => {
    expect((await call('/api/export', { headers: (await signedIn('editor')).headers })).status).toBe(403);
    const anonymous = await call('/api/export');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
  });
});

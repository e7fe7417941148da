// The admin's side of pages and revisions: writing pages in the post editor, the revisions view (diff and restore)
// and the editor script's autosave endpoint, all through the cookie session and its CSRF token.
import { describe, expect, it } from 'vitest';
import { getPostById } from '../lib/db/posts';
import { listRevisions } from '../lib/db/revisions';
import { adminBrowserAs } from './admin-browser';
import { call, createPost, testDeps, unique } from './helpers';

type Json = Record<string, any>;

function idIn(response: Response, base: string): number {
  const match = new RegExp(`^${base}/(\\d+)/edit`).exec(response.headers.get('location') ?? '');
  if (!match) throw new Error(`no id in ${response.headers.get('location')}`);
  return Number(match[1]);
}

describe('/admin/pages', () => {
  it('lets an editor write a page in the editor (no tags), publish it and find it listed', async () => {
    const editor = await adminBrowserAs('editor');
    const form = await (await editor.get('/admin/pages/new')).text();
    expect(form).toContain('<h1>New page</h1>');
    expect(form).toContain('action="/admin/pages"');
    expect(form).not.toContain('name="tags"');
    const slug = unique('colophon');
    const saved = await editor.post('/admin/pages', {
      title: 'Colophon',
      slug,
      markdown: 'Set in *type*.',
      intent: 'publish',
    });
    expect(saved.status).toBe(303);
    const id = idIn(saved, '/admin/pages');
    expect((await getPostById(testDeps().sql, id))?.type).toBe('page');
    const list = await (await editor.get('/admin/pages')).text();
    expect(list).toContain(`href="/admin/pages/${id}/edit"`);
    expect(list).toContain(`href="/${slug}"`);
    expect(await (await call(`/${slug}`)).text()).toContain('<em>type</em>');
    // The page editor is not the post editor: a post's id is not found there, nor a page's among posts.
    expect((await editor.get(`/admin/posts/${id}/edit`)).status).toBe(404);
  });

  it('gives the form back with the error on the slug field when the slug is reserved', async () => {
    const editor = await adminBrowserAs('editor');
    const refused = await editor.post('/admin/pages', {
      title: 'Admin',
      slug: 'admin',
      markdown: 'x',
      intent: 'draft',
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/name="slug" value="admin"[^>]*>\s*<span class="field-error">[^<]*reserved/);
    expect(html).toContain('value="Admin"');
  });

  it('is for editors: authors get a 403 page', async () => {
    const author = await adminBrowserAs('author');
    expect((await author.get('/admin/pages')).status).toBe(403);
    expect((await author.get('/admin/pages/new')).status).toBe(403);
  });
});

describe('/admin/posts/{id}/revisions', () => {
  async function postWithTwoSaves() {
    const author = await adminBrowserAs('author');
    const created = await author.post('/admin/posts', {
      title: 'Drafting',
      slug: unique('rv'),
      markdown: 'first line\nkept line',
      intent: 'draft',
    });
    const id = idIn(created, '/admin/posts');
    await author.post(`/admin/posts/${id}`, {
      title: 'Drafting',
      markdown: 'second line\nkept line',
      version: '1',
      intent: 'draft',
    });
    return { author, id };
  }

  it('lists the revisions and shows the previous one against the current text, with ins and del', async () => {
    const { author, id } = await postWithTwoSaves();
    const response = await author.get(`/admin/posts/${id}/revisions`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.match(/<tr/g)?.length).toBe(3); // the header and two revisions
    expect(html).toContain('Version 1 (saved');
    expect(html).toMatch(/<del><span class="visually-hidden">\[removed since:\] <\/span>first line\n<\/del>/);
    expect(html).toMatch(/<ins><span class="visually-hidden">\[added since:\] <\/span>second line\n<\/ins>/);
    expect(html).toContain('kept line');
    expect(html).toContain('name="_csrf"');
  });

  it('restores a revision as a new version, and refuses a stale restore with the view again', async () => {
    const { author, id } = await postWithTwoSaves();
    const [, first] = await listRevisions(testDeps().sql, id);
    const path = `/admin/posts/${id}/revisions/${first!.id}/restore`;
    const stale = await author.post(path, { version: '1' });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('saved again meanwhile');
    expect((await author.post(path, { version: '2' }, { csrf: null })).status).toBe(403);
    const restored = await author.post(path, { version: '2' });
    expect(restored.status).toBe(303);
    expect(restored.headers.get('location')).toBe(`/admin/posts/${id}/edit?saved=restored`);
    expect(await getPostById(testDeps().sql, id)).toMatchObject({ version: 3, markdown: 'first line\nkept line' });
    expect((await listRevisions(testDeps().sql, id)).map((r) => r.kind)).toEqual(['restore', 'save', 'save']);
  });

  it('is not shown to another author, whose post it is not', async () => {
    const { id } = await postWithTwoSaves();
    const other = await adminBrowserAs('author');
    expect((await other.get(`/admin/posts/${id}/revisions`)).status).toBe(404);
  });
});

describe('autosave (the editor script)', () => {
  it('saves a draft without changing its status, as a coalesced autosave, and answers the new version', async () => {
    const author = await adminBrowserAs('author');
    const post = await createPost({ authorId: author.user.id, status: 'draft', publishedAt: null });
    const fields = (markdown: string, version: string) => ({ title: 'Typing', markdown, version, excerpt: '' });
    const first = await author.post(`/admin/posts/${post.id}/autosave`, fields('one', '1'));
    expect(first.status).toBe(200);
    expect(await first.json<Json>()).toMatchObject({
      id: post.id,
      version: 2,
      autosave: `/admin/posts/${post.id}/autosave`,
    });
    expect((await author.post(`/admin/posts/${post.id}/autosave`, fields('one two', '2'))).status).toBe(200);
    expect(await getPostById(testDeps().sql, post.id)).toMatchObject({
      status: 'draft',
      markdown: 'one two',
      version: 3,
    });
    expect((await listRevisions(testDeps().sql, post.id)).map((r) => r.kind)).toEqual(['autosave', 'save']);
  });

  it('never overwrites newer text from a stale tab: 409 with conflict, and nothing saved', async () => {
    const author = await adminBrowserAs('author');
    const post = await createPost({ authorId: author.user.id, status: 'draft', publishedAt: null });
    await author.post(`/admin/posts/${post.id}/autosave`, { title: 'T', markdown: 'newer', version: '1' });
    const stale = await author.post(`/admin/posts/${post.id}/autosave`, {
      title: 'T',
      markdown: 'older tab',
      version: '1',
    });
    expect(stale.status).toBe(409);
    expect(await stale.json<Json>()).toMatchObject({ conflict: true, currentVersion: 2 });
    expect((await getPostById(testDeps().sql, post.id))?.markdown).toBe('newer');
  });

  it('creates a new draft on the first autosave, and names where the next ones go', async () => {
    const author = await adminBrowserAs('author');
    const response = await author.post('/admin/posts/autosave', { title: 'Fresh idea', markdown: 'Started typing' });
    expect(response.status).toBe(200);
    const saved = await response.json<Json>();
    expect(saved).toMatchObject({
      version: 1,
      edit: `/admin/posts/${saved.id}/edit`,
      action: `/admin/posts/${saved.id}`,
    });
    expect(await getPostById(testDeps().sql, saved.id)).toMatchObject({ status: 'draft', title: 'Fresh idea' });
  });

  it('leaves published posts alone (they change when saved), and refuses a form without its CSRF token', async () => {
    const author = await adminBrowserAs('author');
    const post = await createPost({ authorId: author.user.id });
    const published = await author.post(`/admin/posts/${post.id}/autosave`, {
      title: 'T',
      markdown: 'x',
      version: '1',
    });
    expect(published.status).toBe(422);
    expect((await getPostById(testDeps().sql, post.id))?.version).toBe(1);
    const draft = await createPost({ authorId: author.user.id, status: 'draft', publishedAt: null });
    const forged = await author.post(
      `/admin/posts/${draft.id}/autosave`,
      { title: 'T', markdown: 'x', version: '1' },
      { csrf: null },
    );
    expect(forged.status).toBe(403);
  });
});

// /admin/comments: the moderation queue for editors and admins, through HTTP in workerd over the stand-ins.
import { describe, expect, it } from 'vitest';
import { getComment, insertComment } from '../lib/db/comments';
import { renderMarkdown } from '../lib/markdown';
import type { Role } from '../lib/schemas/user';
import { CommentsPage } from '../functions/admin/views/comments';
import { adminBrowserAs } from './admin-browser';
import { call, createPost, createUser, jsonRequest, signedIn, testDeps, unique, uniqueIp } from './helpers';
import { ORIGIN } from './web-helpers';

type Json = Record<string, any>;

/** A comment by a fresh reader through the API (the pace limit allows one per reader per 15 seconds). */
async function commentAsNewReader(postId: number, body: string): Promise<number> {
  const reader = await signedIn('reader');
  const response = await call(
    `/api/posts/${postId}/comments`,
    jsonRequest('POST', { body }, { 'CF-Connecting-IP': uniqueIp(), ...reader.headers }),
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as Json).id as number;
}

/** A published post, its page and thread already cached, with one comment on it. */
async function postWithComment() {
  const post = await createPost();
  const text = unique('comment-text');
  const id = await commentAsNewReader(post.id, `Thoughts: ${text}`);
  // Warm the caches that show the comment, so the test proves moderation drops them.
  expect(await (await call(`/posts/${post.slug}`)).text()).toContain(text);
  expect(await threadTexts(post.id)).toContain(`<p>Thoughts: ${text}</p>`);
  return { post, id, text };
}

async function threadTexts(postId: number): Promise<string> {
  const body = (await (await call(`/api/posts/${postId}/comments`)).json()) as Json;
  return (body.items as Json[]).map((c) => c.html).join('\n');
}

const roles: Role[] = ['reader', 'author', 'editor', 'admin'];

describe('who may moderate', () => {
  it('sends anonymous visitors to sign in (401 for a form post)', async () => {
    const page = await call('/admin/comments', { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fadmin%2Fcomments');
    const { id } = await postWithComment();
    const post = await call(`/admin/comments/${id}/hide`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(post.status).toBe(401);
    expect((await getComment(testDeps().sql, id))?.status).toBe('published');
  });

  it.each(roles)('gives a %s the queue only from editor up (403 page below), never cached', async (role) => {
    const browser = await adminBrowserAs(role);
    const response = await browser.get('/admin/comments');
    const allowed = role === 'editor' || role === 'admin';
    expect(response.status).toBe(allowed ? 200 : 403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    if (allowed) expect(html).toContain('<h1>Comments</h1>');

    const dashboard = await (await browser.get('/admin')).text();
    if (role === 'reader') return; // readers have no dashboard at all
    expect(dashboard.includes('href="/admin/comments"')).toBe(allowed);
  });

  it.each(['reader', 'author'] as const)('refuses a %s who posts the moderation forms (403)', async (role) => {
    const { id } = await postWithComment();
    const browser = await adminBrowserAs(role);
    for (const action of ['hide', 'restore', 'delete']) {
      expect([action, (await browser.post(`/admin/comments/${id}/${action}`, {})).status]).toEqual([action, 403]);
    }
    expect((await browser.get(`/admin/comments/${id}/delete`)).status).toBe(403);
    expect((await getComment(testDeps().sql, id))?.status).toBe('published');
  });

  it('refuses moderation without the session’s CSRF token or from another site', async () => {
    const { id } = await postWithComment();
    const editor = await adminBrowserAs('editor');
    expect((await editor.post(`/admin/comments/${id}/hide`, {}, { csrf: null })).status).toBe(403);
    expect((await editor.post(`/admin/comments/${id}/hide`, {}, { csrf: 'forged' })).status).toBe(403);
    const other = await adminBrowserAs('editor');
    expect((await editor.post(`/admin/comments/${id}/hide`, {}, { csrf: other.csrf })).status).toBe(403);
    expect((await editor.post(`/admin/comments/${id}/delete`, {}, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await getComment(testDeps().sql, id))?.status).toBe('published');
  });
});

describe('the queue', () => {
  it('lists a comment with its post, author, date, excerpt, status and the forms', async () => {
    const title = `Queue post ${unique('t')}`;
    const post = await createPost({ title });
    const reader = await signedIn('reader');
    const long = `Listed ${unique('x')} ${'word '.repeat(80)}<script>alert(1)</script>`;
    const created = await call(
      `/api/posts/${post.id}/comments`,
      jsonRequest('POST', { body: long }, { 'CF-Connecting-IP': uniqueIp(), ...reader.headers }),
    );
    const id = ((await created.json()) as Json).id as number;
    const editor = await adminBrowserAs('editor');
    const html = await (await editor.get('/admin/comments')).text();
    const row = html.split(`id="comment-${id}"`)[1]?.split('</tr>')[0] ?? '';
    expect(row).toContain(`href="/posts/${post.slug}#comment-${id}"`);
    expect(row).toContain(`>${title}</a>`);
    expect(row).toContain(reader.user.displayName);
    expect(row).toContain(long.slice(0, 20));
    expect(row).toContain('…'); // an excerpt, not the whole text
    expect(row).not.toContain('<script>');
    expect(row).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    expect(row).toContain('Published');
    expect(row).toContain(`action="/admin/comments/${id}/hide"`);
    expect(row).toContain(`href="/admin/comments/${id}/delete?status=all"`);
    expect(row).toContain(`name="_csrf" value="${editor.csrf}"`);
  });

  it('pages newest first with a keyset cursor, and filters by status', async () => {
    const post = await createPost();
    const author = await createUser({ role: 'reader' });
    const ids: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const markdown = `Paged comment ${i} ${unique('p')}`;
      const outcome = await insertComment(testDeps().sql, {
        postId: post.id,
        parentId: null,
        authorId: author.id,
        authorName: author.displayName,
        markdown,
        html: (await renderMarkdown(markdown, 'comment')).html,
        duplicateWindowSeconds: 0,
      });
      if (outcome.status !== 'inserted') throw new Error(outcome.status);
      ids.push(outcome.id);
    }
    const editor = await adminBrowserAs('admin');
    const seen: number[] = [];
    let path = '/admin/comments';
    for (let pages = 0; pages < 20 && ids.some((id) => !seen.includes(id)); pages += 1) {
      const html = await (await editor.get(path)).text();
      seen.push(...[...html.matchAll(/<tr id="comment-(\d+)"/g)].map((m) => Number(m[1])));
      const next = /href="(\/admin\/comments\?cursor=[^"]+)" rel="next"/.exec(html)?.[1];
      if (!next) break;
      path = next.replaceAll('&amp;', '&');
    }
    const ours = seen.filter((id) => ids.includes(id));
    // Every comment once, newest first, over more than one page (25 a page).
    expect(ours).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(path).not.toBe('/admin/comments');

    await editor.post(`/admin/comments/${ids[0]}/hide`, {});
    const hidden = await (await editor.get('/admin/comments?status=hidden')).text();
    expect(hidden).toContain(`id="comment-${ids[0]}"`);
    expect(hidden).not.toContain(`id="comment-${ids[1]}"`);
    const published = await (await editor.get('/admin/comments?status=published')).text();
    expect(published).toContain(`id="comment-${ids[29]}"`);
    expect(published).not.toContain(`id="comment-${ids[0]}"`);
  });

  it('refuses a forged cursor with the 400 page', async () => {
    const editor = await adminBrowserAs('editor');
    const response = await editor.get('/admin/comments?cursor=bm9wZQ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('shows an empty state when there are no comments to list', async () => {
    const user = { id: 1, username: 'ed', displayName: 'Ed', role: 'editor' as const };
    const props = { user, csrfToken: 't', comments: [], nextCursor: null, timeZone: 'UTC' };
    expect(String(CommentsPage({ ...props, filter: 'all' }))).toContain('No comments yet.');
    expect(String(CommentsPage({ ...props, filter: 'hidden' }))).toContain('No hidden comments.');
  });

  it('counts recent comments on a moderator’s dashboard', async () => {
    await postWithComment();
    const html = await (await (await adminBrowserAs('editor')).get('/admin')).text();
    expect(html).toMatch(/<a href="\/admin\/comments">\d+ comments? in the last 7 days<\/a>/);
    const mine = await (await (await adminBrowserAs('author')).get('/admin')).text();
    expect(mine).not.toContain('in the last 7 days');
  });
});

describe('hide, restore, delete', () => {
  it('hides a comment from the post page and the thread API, and restores it', async () => {
    const { post, id, text } = await postWithComment();
    const editor = await adminBrowserAs('editor');

    const hidden = await editor.post(`/admin/comments/${id}/hide`, { status: 'all' });
    expect(hidden.status).toBe(303);
    expect(hidden.headers.get('location')).toBe('/admin/comments?done=hidden');
    expect((await getComment(testDeps().sql, id))?.status).toBe('hidden');
    expect(await (await call(`/posts/${post.slug}`)).text()).not.toContain(text);
    expect(await threadTexts(post.id)).not.toContain(text);
    const queue = await (await editor.get('/admin/comments?done=hidden')).text();
    expect(queue).toContain('Comment hidden');
    expect(queue).toContain(`action="/admin/comments/${id}/restore"`);

    const restored = await editor.post(`/admin/comments/${id}/restore`, { status: 'hidden' });
    expect(restored.status).toBe(303);
    expect(restored.headers.get('location')).toBe('/admin/comments?status=hidden&done=restored');
    expect(await (await call(`/posts/${post.slug}`)).text()).toContain(text);
    expect(await threadTexts(post.id)).toContain(text);
  });

  it('deletes only after a confirmation page, and the comment is gone everywhere', async () => {
    const { post, id, text } = await postWithComment();
    const admin = await adminBrowserAs('admin');

    const confirm = await admin.get(`/admin/comments/${id}/delete?status=published`);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain(text);
    expect(page).toContain(`action="/admin/comments/${id}/delete"`);
    expect(page).toContain('name="status" value="published"');
    expect((await getComment(testDeps().sql, id))?.status).toBe('published');

    const deleted = await admin.post(`/admin/comments/${id}/delete`, { status: 'published' });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/admin/comments?status=published&done=deleted');
    expect((await getComment(testDeps().sql, id))?.status).toBe('deleted');
    expect(await (await call(`/posts/${post.slug}`)).text()).not.toContain(text);
    expect(await threadTexts(post.id)).not.toContain(text);
    expect(await (await admin.get('/admin/comments')).text()).not.toContain(`id="comment-${id}"`);

    // Gone: a second delete, a hide or the confirmation page say so instead of failing.
    const again = await admin.post(`/admin/comments/${id}/delete`, {});
    expect(again.status).toBe(404);
    expect(await again.text()).toContain(`There is no comment with id ${id}`);
    expect((await admin.post(`/admin/comments/${id}/hide`, {})).status).toBe(404);
    expect((await admin.get(`/admin/comments/${id}/delete`)).status).toBe(404);
    expect((await admin.get('/admin/comments/not-a-number/delete')).status).toBe(404);
  });

  it('sends the moderator back to the same filter and page, never elsewhere', async () => {
    const { id } = await postWithComment();
    const editor = await adminBrowserAs('editor');
    const response = await editor.post(`/admin/comments/${id}/hide`, { status: 'https://evil.example', cursor: '' });
    expect(response.headers.get('location')).toBe('/admin/comments?done=hidden');
  });
});

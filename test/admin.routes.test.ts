import { describe, expect, it } from 'vitest';
import { getPostById } from '../lib/db/posts';
import type { Role } from '../lib/schemas/user';
import { uniqueImage } from './fixtures/images';
import { bearer, call, createPost, createUser, jsonRequest, testDeps, unique } from './helpers';
import { adminBrowserAs as browserAs } from './admin-browser';

function editorFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'From the browser',
    slug: unique('admin'),
    tags: 'Admin, Notes',
    markdown: '# Hi\n\nBody.',
    ...overrides,
  };
}

function idFromLocation(response: Response): number {
  const match = /^\/admin\/posts\/(\d+)\/edit/.exec(response.headers.get('location') ?? '');
  if (!match) throw new Error(`no post id in ${response.headers.get('location')}`);
  return Number(match[1]);
}

describe('who may see /admin', () => {
  it('sends anonymous visitors to sign in, and back here afterwards', async () => {
    const response = await call('/admin', { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fadmin');
  });

  it('shows readers a 403 page (not a redirect), and writers their dashboard, never cached', async () => {
    const reader = await browserAs('reader');
    const refused = await reader.get('/admin');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('cache-control')).toBe('private, no-store');

    const author = await browserAs('author');
    const dashboard = await author.get('/admin');
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('cache-control')).toBe('private, no-store');
    expect(await dashboard.text()).toContain('My posts');
  });

  it.each([
    ['/admin/users', 'admin'],
    ['/admin/posts/new', 'author'],
    ['/admin/profile', 'reader'],
  ] as const)('%s needs the %s role', async (path, minimum) => {
    const ranks: Role[] = ['reader', 'author', 'editor', 'admin'];
    for (const role of ranks) {
      const browser = await browserAs(role);
      const expected = ranks.indexOf(role) >= ranks.indexOf(minimum) ? 200 : 403;
      expect([role, (await browser.get(path)).status]).toEqual([role, expected]);
    }
  });
});

describe('the editor', () => {
  it('saves a draft, publishes it, and lists it on the dashboard', async () => {
    const author = await browserAs('author');
    const fields = editorFields({ intent: 'draft' });
    const saved = await author.post('/admin/posts', fields);
    expect(saved.status).toBe(303);
    const id = idFromLocation(saved);
    expect(await getPostById(testDeps().sql, id)).toMatchObject({ status: 'draft', slug: fields.slug });
    expect(await (await author.get('/admin')).text()).toContain(`/admin/posts/${id}/edit`);

    const published = await author.post(`/admin/posts/${id}`, { ...fields, version: '1', intent: 'publish' });
    expect(published.status).toBe(303);
    expect(await getPostById(testDeps().sql, id)).toMatchObject({ status: 'published', version: 2 });
    expect((await call(`/posts/${fields.slug}`)).status).toBe(200);
  });

  it('schedules at a time read in the writer’s time zone', async () => {
    const author = await browserAs('author');
    const next = new Date().getUTCFullYear() + 1;
    const response = await author.post('/admin/posts', {
      ...editorFields({ intent: 'schedule' }),
      publishAt: `${next}-07-01T09:30`,
      timeZone: 'Europe/Paris',
    });
    expect(response.status).toBe(303);
    expect(await getPostById(testDeps().sql, idFromLocation(response))).toMatchObject({
      status: 'scheduled',
      publishedAt: `${next}-07-01T07:30:00.000Z`,
    });
    const missing = await author.post('/admin/posts', editorFields({ intent: 'schedule' }));
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Pick a date and time');
  });

  it('previews exactly as a save renders, sanitized, without saving', async () => {
    const author = await browserAs('author');
    const fields = editorFields({ intent: 'preview', markdown: '**bold** <img src=x onerror=alert(1)>' });
    const response = await author.post('/admin/posts', fields);
    expect(response.status).toBe(200);
    const preview = (await response.text()).split('data-preview-target')[1] ?? '';
    expect(preview).toContain('<strong>bold</strong>');
    expect(preview).not.toContain('onerror');
    expect((await call(`/api/posts/by-slug/${fields.slug}`, { headers: await bearer(author.user) })).status).toBe(404);
    const live = await author.post('/admin/preview', { markdown: '_live_' });
    expect(await live.text()).toContain('<em>live</em>');
  });

  it('uploads an image into the body, and refuses a file that is not one', async () => {
    const author = await browserAs('author');
    const fields = { ...editorFields({ intent: 'upload' }), markdown: 'Before.' };
    const ok = await author.upload('/admin/posts', fields, new File([uniqueImage('png')], 'sunset.png'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/Before\.\n\n!\[sunset\]\(\/media\/[0-9a-f]{64}\.png\)/);
    const bad = await author.upload('/admin/posts', fields, new File(['<svg/>'], 'x.png', { type: 'image/png' }));
    expect(bad.status).toBe(415);
    expect(await bad.text()).toContain('Only JPEG, PNG, WebP and GIF');
  });

  it('refuses form posts without the session’s CSRF token or from another site', async () => {
    const author = await browserAs('author');
    expect((await author.post('/admin/posts', editorFields(), { csrf: null })).status).toBe(403);
    expect((await author.post('/admin/posts', editorFields(), { csrf: 'forged' })).status).toBe(403);
    expect((await author.post('/admin/posts', editorFields(), { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('shows both versions on a stale save, loses neither, and can save the writer’s over', async () => {
    const author = await browserAs('author');
    const fields = editorFields({ intent: 'draft' });
    const id = idFromLocation(await author.post('/admin/posts', fields));
    // Someone else (here: the same writer through the API) saves first.
    const other = await call(
      `/api/posts/${id}`,
      jsonRequest('PATCH', { version: 1, title: 'Their title', markdown: 'Their body.' }, await bearer(author.user)),
    );
    expect(other.status).toBe(200);

    const stale = await author.post(`/admin/posts/${id}`, {
      ...fields,
      version: '1',
      title: 'My title',
      markdown: 'My body.',
    });
    expect(stale.status).toBe(409);
    const page = await stale.text();
    expect(page).toContain('Their body.');
    expect(page).toContain('My body.');
    expect(page).toContain('name="version" value="2"');
    expect(await getPostById(testDeps().sql, id)).toMatchObject({ title: 'Their title', version: 2 });

    const over = await author.post(`/admin/posts/${id}`, {
      ...fields,
      version: '2',
      title: 'My title',
      markdown: 'My body.',
    });
    expect(over.status).toBe(303);
    expect(await getPostById(testDeps().sql, id)).toMatchObject({ title: 'My title', version: 3 });
  });

  it('unpublishes, and deletes only after a confirmation step', async () => {
    const author = await browserAs('author');
    const post = await createPost({ authorId: author.user.id });
    expect((await author.post(`/admin/posts/${post.id}/unpublish`, { version: '1' })).status).toBe(303);
    expect(await getPostById(testDeps().sql, post.id)).toMatchObject({ status: 'draft' });

    const confirm = await author.get(`/admin/posts/${post.id}/delete`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`action="/admin/posts/${post.id}/delete"`);
    expect(await getPostById(testDeps().sql, post.id)).not.toBeNull();
    const deleted = await author.post(`/admin/posts/${post.id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(await getPostById(testDeps().sql, post.id)).toBeNull();
  });

  it('lets authors edit only their own posts (404 otherwise); editors edit anyone’s', async () => {
    const post = await createPost({ status: 'draft', publishedAt: null });
    const author = await browserAs('author');
    expect((await author.get(`/admin/posts/${post.id}/edit`)).status).toBe(404);
    expect((await author.post(`/admin/posts/${post.id}/delete`, {})).status).toBe(404);
    const editor = await browserAs('editor');
    expect((await editor.get(`/admin/posts/${post.id}/edit`)).status).toBe(200);
  });
});

describe('users and profiles', () => {
  it('lets an admin change roles and disable accounts, but never demote or disable themself', async () => {
    const admin = await browserAs('admin');
    const target = await createUser({ role: 'reader' });
    expect((await admin.post(`/admin/users/${target.id}`, { role: 'editor' })).status).toBe(303);
    expect((await admin.post(`/admin/users/${target.id}`, { disabled: 'true' })).status).toBe(303);
    const list = await (await admin.get(`/admin/users?q=${target.username}`)).text();
    expect(list).toContain(target.username);
    expect(list).toContain('disabled');

    const demote = await admin.post(`/admin/users/${admin.user.id}`, { role: 'author' });
    expect(demote.status).toBe(409);
    expect(await demote.text()).toContain('cannot demote or disable themselves');
    const disable = await admin.post(`/admin/users/${admin.user.id}`, { disabled: 'true' });
    expect(disable.status).toBe(409);
  });

  it('lets anyone signed in edit their own profile; a new password needs the current one', async () => {
    const reader = await browserAs('reader');
    const saved = await reader.post('/admin/profile', { displayName: 'New Name', bio: 'Hello.' });
    expect(saved.status).toBe(303);
    expect(await (await reader.get('/admin/profile')).text()).toContain('New Name');
    const wrong = await reader.post('/admin/profile/password', {
      currentPassword: 'not my password at all',
      password: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(403);
  });
});

describe('tags', () => {
  it('lets editors rename, merge and delete unused tags; authors get 403', async () => {
    expect((await (await browserAs('author')).get('/admin/tags')).status).toBe(403);
    const editor = await browserAs('editor');
    const [keep, fold, unused] = [unique('keep'), unique('fold'), unique('unused')];
    const post = await createPost({ status: 'draft', publishedAt: null, tags: [{ slug: fold, name: 'Fold me' }] });
    await createPost({ tags: [{ slug: keep, name: 'Keep' }] });
    const created = await call(
      '/api/tags',
      jsonRequest('POST', { name: unused, slug: unused }, await bearer(editor.user)),
    );
    expect(created.status).toBe(201);

    const page = await (await editor.get('/admin/tags')).text();
    expect(page).toContain('Fold me'); // a draft's tag is listed for editors

    expect((await editor.post(`/admin/tags/${keep}`, { name: 'Kept', description: 'Stays.' })).status).toBe(303);
    expect((await editor.post('/admin/tags/merge', { from: fold, into: keep })).status).toBe(303);
    expect((await getPostById(testDeps().sql, post.id))?.tags).toEqual([{ slug: keep, name: 'Kept' }]);

    const inUse = await editor.post(`/admin/tags/${keep}/delete`, {});
    expect(inUse.status).toBe(409);
    expect((await editor.post(`/admin/tags/${unused}/delete`, {})).status).toBe(303);
    expect((await call(`/api/tags/${unused}`)).status).toBe(404);
  });
});

// /admin/settings through HTTP, on a site of its own (test/fresh-site.ts): settings are site-wide, and changing them
// on the shared test database would change what other files' tests see.
import { beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../lib/auth/password';
import { insertPost } from '../lib/db/posts';
import { insertUser as insertUserRow } from '../lib/db/users';
import { renderMarkdown } from '../lib/markdown';
import type { Role } from '../lib/schemas/user';
import { freshSite } from './fresh-site';
import { imageBytes, uniqueImage } from './fixtures/images';
import { unique, uniqueIp } from './helpers';
import { formPost, ORIGIN, sessionCookieFrom } from './web-helpers';

const site = freshSite('adminSettings');

async function signedIn(role: Role) {
  const name = unique(role).replaceAll('-', '_').slice(0, 32);
  const password = 'correct horse battery staple';
  const user = await insertUser(name, role, password);
  const response = await site.call('/login', formPost({ email: user.email, password, next: '/' }));
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  const cookie = sessionCookieFrom(response);
  return { user, cookie };
}

async function insertUser(name: string, role: Role, password: string) {
  return insertUserRow(site.deps().sql, {
    email: `${name}@example.com`,
    username: name,
    displayName: `The ${role}`,
    role,
    passwordHash: await hashPassword(password, { iterations: 1_000 }),
  });
}

async function csrfOf(cookie: string): Promise<string> {
  const html = await (await site.call('/admin/settings', { headers: { Cookie: cookie } })).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on /admin/settings');
  return token;
}

/** Every field as the form sends it with the defaults, with `fields` over them. */
function settingsForm(csrf: string, fields: Record<string, string | Blob> = {}): FormData {
  const form = new FormData();
  const defaults: Record<string, string> = {
    _csrf: csrf,
    title: 'lembas',
    description: 'Notes from the edge.',
    accentColor: '#2f6f4f',
    logo: '',
    icon: '',
    locale: 'en-GB',
    timeZone: 'UTC',
    footer: '',
    postsPerPage: '10',
    comments: 'open',
    registration: 'open',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...fields })) form.append(name, value);
  return form;
}

function post(cookie: string, body: FormData, origin = ORIGIN) {
  return site.call('/admin/settings', {
    method: 'POST',
    headers: { Cookie: cookie, Origin: origin, 'CF-Connecting-IP': uniqueIp() },
    body,
    redirect: 'manual',
  });
}

async function apiSettings(): Promise<Record<string, any>> {
  return (await site.call('/api/settings')).json();
}

/** The values of the navigation inputs on a page, in order, as [label, url] pairs. */
function navigationRows(html: string): [string, string][] {
  const rows: [string, string][] = [];
  for (let i = 0; ; i++) {
    const label = new RegExp(`name="navigation\\.${i}\\.label" value="([^"]*)"`).exec(html);
    const url = new RegExp(`name="navigation\\.${i}\\.url" value="([^"]*)"`).exec(html);
    if (!label || !url) return rows;
    rows.push([label[1]!, url[1]!]);
  }
}

async function publishPage(title: string, slug: string, authorId: number) {
  const rendered = await renderMarkdown(`# ${title}\n\nWho we are.`);
  return insertPost(site.deps().sql, {
    slug,
    title,
    markdown: `# ${title}\n\nWho we are.`,
    ...rendered,
    status: 'published',
    publishedAt: new Date().toISOString(),
    authorId,
    tags: [],
    type: 'page',
  });
}

beforeEach(() => site.reset());

describe('GET /admin/settings', () => {
  it('is for admins: editors and authors get the 403 page, visitors go to sign in', async () => {
    const admin = await signedIn('admin');
    const page = await site.call('/admin/settings', { headers: { Cookie: admin.cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/admin/settings" enctype="multipart/form-data"');
    expect(html).toContain('name="title" value="lembas"');
    expect(html).toContain('href="/admin/settings"');

    for (const role of ['editor', 'author'] as const) {
      const { cookie } = await signedIn(role);
      const refused = await site.call('/admin/settings', { headers: { Cookie: cookie } });
      expect(refused.status).toBe(403);
      const text = await refused.text();
      expect(text).toContain('<html');
      expect(text).not.toContain('name="title"');
      // Nor does their admin navigation offer it.
      expect(await (await site.call('/admin', { headers: { Cookie: cookie } })).text()).not.toContain(
        'href="/admin/settings"',
      );
    }
    const anonymous = await site.call('/admin/settings', { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });
});

describe('POST /admin/settings', () => {
  it('refuses an editor even with a valid form, and saves nothing', async () => {
    const admin = await signedIn('admin');
    const editor = await signedIn('editor');
    // The editor's own CSRF token, read from a page they may see.
    const html = await (await site.call('/admin/profile', { headers: { Cookie: editor.cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csrf).not.toBe('');
    const response = await post(editor.cookie, settingsForm(csrf, { title: 'Taken over' }));
    expect(response.status).toBe(403);
    expect((await apiSettings()).title).toBe('lembas');
    expect(admin.user.role).toBe('admin');
  });

  it('refuses a form without the session’s CSRF token or from another origin, and saves nothing', async () => {
    const { cookie } = await signedIn('admin');
    const csrf = await csrfOf(cookie);
    expect((await post(cookie, settingsForm('forged-token', { title: 'Forged' }))).status).toBe(403);
    expect((await post(cookie, settingsForm(csrf, { title: 'Cross-site' }), 'https://evil.example')).status).toBe(403);
    expect((await apiSettings()).title).toBe('lembas');
  });

  it('shows the form again with the values as typed and each error beside its field, and saves nothing', async () => {
    const { cookie } = await signedIn('admin');
    const csrf = await csrfOf(cookie);
    const response = await post(
      cookie,
      settingsForm(csrf, {
        title: 'A Perfectly Good Title',
        description: 'Kept as typed.',
        timeZone: 'Mars/Olympus',
        postsPerPage: 'lots',
        'navigation.0.label': 'Home',
        'navigation.0.url': '/',
        'navigation.1.label': 'Bad',
        'navigation.1.url': 'javascript:alert(1)',
        'socialLinks.0.label': 'Mastodon',
        'socialLinks.0.url': 'http://insecure.example/@me',
      }),
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Nothing was saved');
    expect(html).toContain('name="title" value="A Perfectly Good Title"');
    expect(html).toContain('Kept as typed.</textarea>');
    expect(html).toContain('name="timeZone" value="Mars/Olympus"');
    expect(html).toContain('name="postsPerPage" value="lots"');
    expect(navigationRows(html)).toEqual([
      ['Home', '/'],
      ['Bad', 'javascript:alert(1)'],
    ]);
    expect(html).toContain('name="socialLinks.0.url" value="http://insecure.example/@me"');
    // Each message sits with its own field.
    expect(html).toMatch(/name="timeZone"[^>]*>\s*<span class="field-error">must be an IANA time zone/);
    expect(html).toMatch(/name="postsPerPage"[^>]*>\s*<span class="field-error">must be a whole number from 1 to 50/);
    expect(html).toMatch(
      /name="navigation\.1\.url"[^>]*aria-invalid="true"[^>]*>\s*<span class="field-error" id="navigation-1-url-error">must be a path on this site/,
    );
    expect(html).not.toContain('id="navigation-0-url-error"');
    expect(html).toContain('id="socialLinks-0-url-error">must be an https:// address');

    const saved = await apiSettings();
    expect(saved.title).toBe('lembas');
    expect(saved.navigation).toEqual([]);
  });

  it('saves only what this form changed, so two admins editing different fields at once both keep theirs', async () => {
    const [first, second] = [await signedIn('admin'), await signedIn('admin')];
    /** The CSRF token and the record of what the form showed, as a browser would send them back. */
    const opened = async (cookie: string) => {
      const html = await (await site.call('/admin/settings', { headers: { Cookie: cookie } })).text();
      const loaded = /name="_loaded" value="([^"]*)"/.exec(html)?.[1] ?? '';
      const unescaped = loaded
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>');
      return { csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]!, loaded: unescaped.replace(/&amp;/g, '&') };
    };
    const a = await opened(first.cookie);
    const b = await opened(second.cookie);
    expect(JSON.parse(a.loaded)).toMatchObject({ title: 'lembas', description: 'Notes from the edge.' });

    const saveA = settingsForm(a.csrf, { title: 'The Ivy Bush', _loaded: a.loaded });
    expect((await post(first.cookie, saveA)).status).toBe(303);
    // The second admin's form still shows the old title; it changes only the description.
    const saveB = settingsForm(b.csrf, { description: 'Ale and talk.', _loaded: b.loaded });
    expect((await post(second.cookie, saveB)).status).toBe(303);
    expect(await apiSettings()).toMatchObject({ title: 'The Ivy Bush', description: 'Ale and talk.' });

    // A post without the record (a hand-made form) saves every field, as before.
    const whole = settingsForm(await csrfOf(first.cookie), { description: 'Whole form.' });
    expect((await post(first.cookie, whole)).status).toBe(303);
    expect(await apiSettings()).toMatchObject({ title: 'lembas', description: 'Whole form.' });
  });

  it('shows a change of title and navigation on the public home page at once', async () => {
    const { cookie } = await signedIn('admin');
    // Cached before the change: the save must drop it.
    await site.call('/');
    expect((await site.call('/')).headers.get('X-Cache')).toBe('HIT');
    const csrf = await csrfOf(cookie);
    const response = await post(
      cookie,
      settingsForm(csrf, {
        title: 'The Green Dragon',
        'navigation.0.label': 'About us',
        'navigation.0.url': '/about',
        'navigation.1.label': '',
        'navigation.1.url': '',
        'navigation.2.label': 'Elsewhere',
        'navigation.2.url': 'https://example.org/',
        footer: 'Brewed *daily*.',
        accentColor: '#AA3300',
        postsPerPage: '5',
        comments: 'signedIn',
        firstCommentModeration: 'on',
        registration: 'closed',
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/settings?done=saved');

    const home = await (await site.call('/')).text();
    expect(home).toContain('<title>The Green Dragon</title>');
    expect(home).toMatch(/<a href="\/about">About us<\/a>\s*<a href="https:\/\/example.org\/">Elsewhere<\/a>/);
    expect(home).toContain('<em>daily</em>');

    const saved = await apiSettings();
    // The row left empty is dropped, not refused.
    expect(saved.navigation).toEqual([
      { label: 'About us', url: '/about' },
      { label: 'Elsewhere', url: 'https://example.org/' },
    ]);
    expect(saved).toMatchObject({
      accentColor: '#aa3300',
      postsPerPage: 5,
      comments: 'signedIn',
      registration: 'closed',
    });

    const form = await (await site.call('/admin/settings?done=saved', { headers: { Cookie: cookie } })).text();
    expect(form).toContain('Settings saved.');
    expect(form).toContain('name="title" value="The Green Dragon"');
    expect(form).toContain('name="firstCommentModeration" checked=""');
    expect(form).toContain('<option value="closed" selected="">');
  });

  it('adds, moves and removes navigation links without saving, and links a published page picked from a list', async () => {
    const { cookie, user } = await signedIn('admin');
    const about = await publishPage('About this blog', 'about', user.id);
    const csrf = await csrfOf(cookie);
    const rows = {
      'navigation.0.label': 'First',
      'navigation.0.url': '/first',
      'navigation.1.label': 'Second',
      'navigation.1.url': '/second',
    };
    const edit = async (value: string, extra: Record<string, string> = {}) => {
      const response = await post(cookie, settingsForm(csrf, { ...extra, edit: value, title: 'Unsaved title' }));
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('Not saved yet');
      expect(html).toContain('name="title" value="Unsaved title"');
      return navigationRows(html);
    };

    expect(await edit('navigation:add', rows)).toEqual([
      ['First', '/first'],
      ['Second', '/second'],
      ['', ''],
    ]);
    expect(await edit('navigation:up:1', rows)).toEqual([
      ['Second', '/second'],
      ['First', '/first'],
    ]);
    expect(await edit('navigation:down:0', rows)).toEqual([
      ['Second', '/second'],
      ['First', '/first'],
    ]);
    expect(await edit('navigation:down:1', rows)).toEqual([
      ['First', '/first'],
      ['Second', '/second'],
    ]);
    expect(await edit('navigation:remove:0', rows)).toEqual([['Second', '/second']]);

    // The picker offers published pages only, and fills a link with the page's title and address.
    const form = await (await site.call('/admin/settings', { headers: { Cookie: cookie } })).text();
    expect(form).toContain(`<option value="${about.id}">About this blog (/about)</option>`);
    expect(await edit('page', { ...rows, navigationPage: String(about.id) })).toEqual([
      ['First', '/first'],
      ['Second', '/second'],
      ['About this blog', '/about'],
    ]);
    // An empty row added first is the one filled.
    expect(
      await edit('page', {
        ...rows,
        'navigation.2.label': '',
        'navigation.2.url': '',
        navigationPage: String(about.id),
      }),
    ).toEqual([
      ['First', '/first'],
      ['Second', '/second'],
      ['About this blog', '/about'],
    ]);
    const unpicked = await post(cookie, settingsForm(csrf, { ...rows, edit: 'page', navigationPage: '' }));
    expect(unpicked.status).toBe(422);
    expect(await unpicked.text()).toContain('Choose one of the published pages first.');

    // None of it was saved.
    expect((await apiSettings()).navigation).toEqual([]);
    expect((await apiSettings()).title).toBe('lembas');
  });

  it('uploads a logo and an icon through the media path, shows them, and removes them', async () => {
    const { cookie } = await signedIn('admin');
    const csrf = await csrfOf(cookie);
    const logo = new File([uniqueImage('png')], 'logo.png', { type: 'image/png' });
    const icon = new File([uniqueImage('gif')], 'icon.gif', { type: 'image/gif' });
    const response = await post(cookie, settingsForm(csrf, { logoFile: logo, iconFile: icon }));
    expect(response.status).toBe(303);
    const saved = await apiSettings();
    expect(saved.logo).toMatch(/^\/media\/[0-9a-f]{64}\.png$/);
    expect(saved.icon).toMatch(/^\/media\/[0-9a-f]{64}\.gif$/);
    const served = await site.call(saved.logo);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const home = await (await site.call('/')).text();
    expect(home).toContain(`<img class="site-logo" src="${saved.logo}"`);
    expect(home).toContain(`<link rel="icon" href="${saved.icon}"`);

    // Saving the form again without a file keeps them; ticking "Remove" drops one.
    const form = await (await site.call('/admin/settings', { headers: { Cookie: cookie } })).text();
    expect(form).toContain(`name="logo" value="${saved.logo}"`);
    const removed = await post(
      cookie,
      settingsForm(csrf, { logo: saved.logo, icon: saved.icon, logoRemove: 'on', title: 'No logo' }),
    );
    expect(removed.status).toBe(303);
    expect(await apiSettings()).toMatchObject({ title: 'No logo', logo: null, icon: saved.icon });
  });

  it('takes a logo and an icon of up to 5 MB each in one form, and refuses a body larger than both', async () => {
    const { cookie } = await signedIn('admin');
    const csrf = await csrfOf(cookie);
    const big = (kind: 'png' | 'jpeg') => new File([uniqueImage(kind, 4_500_000)], `big.${kind}`);
    const response = await post(cookie, settingsForm(csrf, { logoFile: big('png'), iconFile: big('jpeg') }));
    expect(response.status).toBe(303);
    const saved = await apiSettings();
    expect(saved.logo).toMatch(/\.png$/);
    expect(saved.icon).toMatch(/\.jpg$/);

    const tooMuch = settingsForm(csrf, { logoFile: big('png'), iconFile: big('png'), title: 'Too much' });
    tooMuch.append('footer', 'x'.repeat(3_000_000));
    const refused = await post(cookie, tooMuch);
    expect(refused.status).toBe(413);
    expect(await refused.text()).toContain('Images are limited to 5 MB each.');
    expect((await apiSettings()).title).toBe('lembas');
  });

  it('refuses a file that is not an image beside the field, and saves nothing else of the form', async () => {
    const { cookie } = await signedIn('admin');
    const csrf = await csrfOf(cookie);
    const notAnImage = new File([new TextEncoder().encode('just text')], 'logo.png', { type: 'image/png' });
    const response = await post(cookie, settingsForm(csrf, { logoFile: notAnImage, title: 'Would change' }));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('id="logo-error">Only JPEG, PNG, WebP and GIF images');
    expect(html).toContain('name="title" value="Would change"');
    expect(await apiSettings()).toMatchObject({ title: 'lembas', logo: null });
  });

  it('keeps an image chosen before a list edit, so the form never asks for it twice', async () => {
    const { cookie } = await signedIn('admin');
    const csrf = await csrfOf(cookie);
    const logo = new File([imageBytes('webp')], 'logo.webp', { type: 'image/webp' });
    const response = await post(cookie, settingsForm(csrf, { logoFile: logo, edit: 'navigation:add' }));
    expect(response.status).toBe(200);
    const pending = /name="logo" value="(\/media\/[0-9a-f]{64}\.webp)"/.exec(await response.text())?.[1];
    expect(pending).toBeDefined();
    expect((await apiSettings()).logo).toBeNull();
    expect((await post(cookie, settingsForm(csrf, { logo: pending! }))).status).toBe(303);
    expect((await apiSettings()).logo).toBe(pending);
  });
});

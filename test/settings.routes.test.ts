// Site settings through HTTP, on a site of its own (test/fresh-site.ts): settings are site-wide, and changing them
// on the shared test database would change what other files' tests see.
import { beforeEach, describe, expect, it } from 'vitest';
import { newAccountToken } from '../lib/auth/account-tokens';
import { hashPassword } from '../lib/auth/password';
import { issueAccessToken } from '../lib/auth/tokens';
import { insertAccountToken } from '../lib/db/account-tokens';
import { insertUser } from '../lib/db/users';
import { renderMarkdown } from '../lib/markdown';
import { insertPost } from '../lib/db/posts';
import { getStoredSettings, mergeStoredSettings, saveRenderedFooter } from '../lib/db/settings';
import { newsletterLetters } from '../lib/newsletter/fanout';
import { rerenderSettingsFooter } from '../lib/rerender';
import type { Role } from '../lib/schemas/user';
import { edgeTagsOf, expectEachPurged, purgedSince, purgeMark } from './edge-purges';
import { freshSite } from './fresh-site';
import { latestMailTo } from './mailbox';
import { jsonRequest, unique, uniqueIp } from './helpers';

const site = freshSite('settings');

async function member(role: Role) {
  const name = unique(role).replaceAll('-', '_').slice(0, 32);
  const password = 'correct horse battery staple';
  const user = await insertUser(site.deps().sql, {
    email: `${name}@example.com`,
    username: name,
    displayName: `The ${role}`,
    role,
    passwordHash: await hashPassword(password, { iterations: 1_000 }),
  });
  const token = await issueAccessToken(site.deps().config.JWT_SECRET, user);
  return { user, password, headers: { Authorization: `Bearer ${token}` } };
}

async function publish(title: string, authorId: number) {
  const rendered = await renderMarkdown('Some words.');
  return insertPost(site.deps().sql, {
    slug: unique('post'),
    title,
    markdown: 'Some words.',
    ...rendered,
    status: 'published',
    publishedAt: new Date().toISOString(),
    authorId,
    tags: [],
  });
}

const patch = (body: unknown, headers: Record<string, string>) =>
  site.call('/api/settings', jsonRequest('PATCH', body, headers));

beforeEach(() => site.reset());

describe('GET /api/settings', () => {
  it('answers the defaults from the wrangler vars before anything is saved', async () => {
    const response = await site.call('/api/settings');
    expect(response.status).toBe(200);
    const body = await response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      title: 'lembas',
      description: 'Notes from the edge.',
      locale: 'en-GB',
      timeZone: 'UTC',
      navigation: [],
      comments: 'open',
      registration: 'open',
      postsPerPage: 10,
    });
    // Only admins see the moderation rule and the footer's markdown source.
    expect(body).not.toHaveProperty('firstCommentModeration');
    expect(body).not.toHaveProperty('footer');
  });
});

describe('PATCH /api/settings', () => {
  it('saves the fields sent, keeps the others, and renders the footer sanitized', async () => {
    const { headers } = await member('admin');
    const first = await patch({ title: 'Second Breakfast', description: 'Hobbit notes.' }, headers);
    expect(first.status).toBe(200);
    const response = await patch(
      {
        navigation: [
          { label: 'About', url: '/about' },
          { label: 'Elsewhere', url: 'https://example.org/x' },
        ],
        footer: 'Made with *care*. <script>alert(1)</script><img src=x onerror=alert(1)>',
        accentColor: '#AA3300',
      },
      headers,
    );
    expect(response.status).toBe(200);
    const saved = await response.json<Record<string, any>>();
    expect(saved.title).toBe('Second Breakfast');
    expect(saved.accentColor).toBe('#aa3300');
    expect(saved.footerHtml).toContain('<em>care</em>');
    expect(saved.footerHtml).not.toMatch(/<script|onerror/);
    const read = await (await site.call('/api/settings')).json<Record<string, any>>();
    expect(read.title).toBe('Second Breakfast');
    expect(read.description).toBe('Hobbit notes.');
    expect(read.navigation.map((item: { label: string }) => item.label)).toEqual(['About', 'Elsewhere']);
  });

  it('purges everything shared from the edge: every shared response carries `site`', async () => {
    const { user, headers } = await member('admin');
    const post = await publish('Shown everywhere', user.id);
    const shown: Record<string, string[]> = {};
    for (const path of ['/', `/posts/${post.slug}`, '/feed.xml', '/sitemap.xml', '/api/posts', '/tags']) {
      const response = await site.call(path);
      expect(response.status, path).toBe(200);
      await response.body?.cancel();
      shown[path] = edgeTagsOf(response);
    }
    const mark = await purgeMark();
    expect((await patch({ title: 'Renamed site' }, headers)).status).toBe(200);
    // `site` is purged by settings changes alone (and a first run's, on another site): this write's own call.
    const purged = await purgedSince(mark, 'site');
    expect(purged).toContain('site');
    expectEachPurged(shown, purged);
  });

  it('refuses bad values with problem+json naming each field, and saves none of the request', async () => {
    const { headers } = await member('admin');
    const response = await patch(
      {
        title: 'Would be fine',
        accentColor: 'red',
        timeZone: 'Mars/Olympus',
        postsPerPage: 500,
        comments: 'sometimes',
        navigation: [{ label: '', url: 'javascript:alert(1)' }],
        socialLinks: [{ label: 'Me', url: 'http://insecure.example' }],
      },
      headers,
    );
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.json<{ errors: { path: string }[] }>();
    const paths = problem.errors.map((error) => error.path);
    for (const field of ['accentColor', 'timeZone', 'postsPerPage', 'comments', 'navigation', 'socialLinks']) {
      expect(paths.some((path) => path.startsWith(`body.${field}`))).toBe(true);
    }
    expect((await (await site.call('/api/settings')).json<{ title: string }>()).title).toBe('lembas');
  });

  it('refuses unknown fields and too many navigation links', async () => {
    const { headers } = await member('admin');
    expect((await patch({ theme: 'dark' }, headers)).status).toBe(422);
    const links = Array.from({ length: 13 }, (_, i) => ({ label: `L${i}`, url: `/l${i}` }));
    expect((await patch({ navigation: links }, headers)).status).toBe(422);
  });

  it('is for admins only', async () => {
    const editor = await member('editor');
    expect((await patch({ title: 'Mine now' }, editor.headers)).status).toBe(403);
    expect((await patch({ title: 'Mine now' }, {})).status).toBe(401);
  });

  it('shows a change on the next request of a cached page, feed and sitemap', async () => {
    const admin = await member('admin');
    await publish('A post to read', admin.user.id);
    const cached = ['/', '/feed.xml', '/atom.xml', '/sitemap.xml', '/archive', '/tags'];
    for (const path of cached) await site.call(path);
    for (const path of ['/', '/feed.xml', '/archive']) {
      expect((await site.call(path)).headers.get('X-Cache')).toBe('HIT');
    }
    expect((await patch({ title: 'Renamed Blog', description: 'Now with more.' }, admin.headers)).status).toBe(200);

    const home = await site.call('/');
    expect(home.headers.get('X-Cache')).toBe('MISS');
    expect(await home.text()).toContain('<title>Renamed Blog</title>');
    const rss = await (await site.call('/feed.xml')).text();
    expect(rss).toContain('<title>Renamed Blog</title>');
    expect(rss).toContain('<description>Now with more.</description>');
    expect(await (await site.call('/atom.xml')).text()).toContain('Renamed Blog');
    expect(await (await site.call('/archive')).text()).toContain('Renamed Blog');
    expect((await site.call('/sitemap.xml')).headers.get('X-Cache')).toBe('MISS');
  });
});

describe('settings in use', () => {
  it('closes sign-up in the API and the page when registration is closed', async () => {
    const admin = await member('admin');
    expect((await patch({ registration: 'closed' }, admin.headers)).status).toBe(200);
    const name = unique('late').replaceAll('-', '_').slice(0, 32);
    const api = await site.call(
      '/api/auth/register',
      jsonRequest('POST', { email: `${name}@example.com`, username: name, password: 'a long passphrase here' }),
    );
    expect(api.status).toBe(403);
    expect(await (await site.call('/register')).text()).toContain('Sign-up is closed');
    const form = await site.call('/register', {
      method: 'POST',
      headers: { Origin: 'https://blog.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: `${name}@example.com`, username: name, password: 'a long passphrase here' }),
    });
    expect(form.status).toBe(403);
    // The header no longer offers it either.
    expect(await (await site.call('/')).text()).not.toContain('href="/register"');
  });

  it('refuses new comments when comments are off, and takes them from signed-in readers otherwise', async () => {
    const admin = await member('admin');
    const reader = await member('reader');
    const post = await publish('Talk here', admin.user.id);
    const comment = (body: string) =>
      site.call(`/api/posts/${post.id}/comments`, jsonRequest('POST', { body }, reader.headers));

    expect((await patch({ comments: 'off' }, admin.headers)).status).toBe(200);
    expect((await comment('Hello?')).status).toBe(403);
    expect(await (await site.call(`/posts/${post.slug}`)).text()).toContain('Comments are closed.');

    expect((await patch({ comments: 'signedIn' }, admin.headers)).status).toBe(200);
    expect((await site.call(`/api/posts/${post.id}/comments`, jsonRequest('POST', { body: 'Anon' }))).status).toBe(401);
    // Under signedIn a reader must have confirmed their address first (lib/comment-policy.ts); under open, not.
    const unconfirmed = await comment('Not confirmed yet.');
    expect(unconfirmed.status).toBe(403);
    expect((await unconfirmed.json<{ detail: string }>()).detail).toContain('Confirm your email address');
    const { token, tokenHash } = await newAccountToken();
    await insertAccountToken(site.deps().sql, {
      tokenHash,
      userId: reader.user.id,
      purpose: 'verify_email',
      email: reader.user.email,
      lifetimeSeconds: 3600,
    });
    expect((await site.call('/api/auth/verify-email/confirm', jsonRequest('POST', { token }))).status).toBe(204);
    expect((await comment('Signed in, so fine.')).status).toBe(201);
  });

  it("holds a reader's first comment for moderation when firstCommentModeration is on", async () => {
    const admin = await member('admin');
    const reader = await member('reader');
    const post = await publish('First words', admin.user.id);
    expect((await patch({ firstCommentModeration: true }, admin.headers)).status).toBe(200);
    const first = await site.call(
      `/api/posts/${post.id}/comments`,
      jsonRequest('POST', { body: 'My very first comment.' }, reader.headers),
    );
    expect(first.status).toBe(201);
    expect((await first.json<{ status: string }>()).status).toBe('hidden');
    const thread = await (await site.call(`/api/posts/${post.id}/comments`)).json<{ total: number }>();
    expect(thread.total).toBe(0);
  });

  it('dates posts in the locale and time zone of the settings', async () => {
    const admin = await member('admin');
    const rendered = await renderMarkdown('Late.');
    await insertPost(site.deps().sql, {
      slug: unique('late'),
      title: 'Just before midnight UTC',
      markdown: 'Late.',
      ...rendered,
      status: 'published',
      publishedAt: '2026-03-01T23:30:00.000Z',
      authorId: admin.user.id,
      tags: [],
    });
    expect((await patch({ locale: 'fr-FR', timeZone: 'Europe/Paris', postsPerPage: 1 }, admin.headers)).status).toBe(
      200,
    );
    const home = await (await site.call('/')).text();
    expect(home).toContain('<html lang="fr-FR">');
    expect(home).toContain('2 mars 2026');
    expect(home.match(/<article>/g)?.length).toBe(1);
  });
});

describe('mail', () => {
  it('speaks in the name the settings give the site, in the subject, the body and the sender', async () => {
    const admin = await member('admin');
    const reader = await member('reader');
    expect((await patch({ title: 'The Prancing Pony' }, admin.headers)).status).toBe(200);
    const response = await site.call(
      '/api/auth/password-reset',
      jsonRequest('POST', { email: reader.user.email }, { 'CF-Connecting-IP': uniqueIp() }),
    );
    expect(response.status).toBe(202);
    const mail = await latestMailTo(reader.user.email);
    expect(mail.subject).toBe('Reset your The Prancing Pony password');
    expect(mail.text).toContain('The Prancing Pony');
    expect(mail.from).toMatch(/^"?The Prancing Pony"? </);
  });

  it('names the site by its settings in the subscription and newsletter mails too', async () => {
    const admin = await member('admin');
    expect((await patch({ title: 'The Green Dragon' }, admin.headers)).status).toBe(200);
    const email = `${unique('follower')}@example.com`;
    const response = await site.call(
      '/api/subscribers',
      jsonRequest('POST', { email }, { 'CF-Connecting-IP': uniqueIp() }),
    );
    expect(response.status).toBe(202);
    const confirmation = await latestMailTo(email);
    expect(confirmation.subject).toBe('Confirm your subscription to The Green Dragon');
    expect(confirmation.from).toMatch(/^"?The Green Dragon"? </);

    const post = await publish('Second breakfast', admin.user.id);
    const letter = await newsletterLetters(site.deps())(post.id);
    expect(letter?.text).toContain('The Green Dragon');
    expect(letter?.siteName).toBe('The Green Dragon');
  });
});

describe('npm run db:rerender', () => {
  it("re-renders the settings footer's stored HTML with the current renderer, once", async () => {
    const { sql } = site.deps();
    expect(await rerenderSettingsFooter(sql)).toEqual({ checked: 0, changed: 0, failed: [] });
    // As an older renderer left it: the markdown's emphasis not rendered.
    await mergeStoredSettings(sql, { footer: 'Made with *care*.', footerHtml: '<p>Made with care.</p>' });
    expect(await rerenderSettingsFooter(sql)).toEqual({ checked: 1, changed: 1, failed: [] });
    const stored = (await getStoredSettings(sql)) as { footer: string; footerHtml: string };
    expect(stored.footer).toBe('Made with *care*.');
    expect(stored.footerHtml).toContain('<em>care</em>');
    expect(await rerenderSettingsFooter(sql)).toEqual({ checked: 1, changed: 0, failed: [] });
  });

  it('never writes a rendering over a footer an admin saved since it was read', async () => {
    const { sql } = site.deps();
    await mergeStoredSettings(sql, { footer: 'New words.', footerHtml: '<p>New words.</p>\n' });
    expect(await saveRenderedFooter(sql, 'Old words.', '<p>Old words.</p>')).toBe(false);
    expect(((await getStoredSettings(sql)) as { footerHtml: string }).footerHtml).toBe('<p>New words.</p>\n');
  });
});

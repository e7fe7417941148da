import { Hono } from 'hono';
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { getUserByEmail } from '../lib/db/users';
import type { AppEnv } from '../lib/env';
import { requireSignedIn, signedInSession, viewerSession } from '../functions/auth/session';
import { handleError } from '../functions/errors';
import { initRequest } from '../functions/middleware';
import { call, createPost, createUser, testDeps, unique } from './helpers';
import { browserSignIn, csrfTokenOf, formPost, sessionCookieFrom, setCookiesOf } from './web-helpers';

describe('POST /login', () => {
  it('signs in with an HttpOnly, Secure, SameSite=Lax session cookie and follows a local next', async () => {
    const user = await createUser({ role: 'reader' });
    const response = await call('/login', formPost({ email: user.email, password: user.password, next: '/search' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/search');
    const setCookie = setCookiesOf(response).find((c) => c.startsWith('lembas_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
  });

  it('never redirects off-site', async () => {
    const user = await createUser({ role: 'reader' });
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const response = await call('/login', formPost({ email: user.email, password: user.password, next }));
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('re-renders the form with one message for a wrong password, and sets no cookie', async () => {
    const user = await createUser({ role: 'reader' });
    const response = await call('/login', formPost({ email: user.email, password: 'wrong password here' }));
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('The email or password is incorrect.');
    expect(setCookiesOf(response).some((c) => c.startsWith('lembas_session='))).toBe(false);
  });

  it('answers 422 with the field named when the email is malformed', async () => {
    const response = await call('/login', formPost({ email: 'nope', password: 'x' }));
    expect(response.status).toBe(422);
    expect(await response.text()).toMatch(/class="field-error"/);
  });

  it('is rate limited per address like the API (429 with Retry-After on the form)', async () => {
    const user = await createUser({ role: 'reader' });
    const ip = 'fd00:aaaa:bbbb:' + Math.floor(Math.random() * 65535).toString(16) + '::1';
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await call('/login', formPost({ email: user.email, password: 'wrong password here' }, { ip }));
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await last!.text()).toMatch(/Too many attempts/);
  });

  it('refuses a cross-site form post with 403 and signs nobody in', async () => {
    const user = await createUser({ role: 'reader' });
    const fields = { email: user.email, password: user.password };
    for (const origin of ['https://evil.example', null]) {
      const response = await call('/login', formPost(fields, { origin }));
      expect(response.status).toBe(403);
      expect(setCookiesOf(response).some((c) => c.startsWith('lembas_session='))).toBe(false);
    }
  });
});

describe('POST /register', () => {
  it('creates a reader and signs them in', async () => {
    const name = unique('web').replaceAll('-', '_').slice(0, 32);
    const email = `${name}@example.com`;
    const response = await call(
      '/register',
      formPost({ email, username: name, displayName: '', password: 'a sturdy passphrase 42', next: '/' }),
    );
    expect(response.status).toBe(303);
    const cookie = sessionCookieFrom(response);
    const page = await (await call('/', { headers: { Cookie: cookie } })).text();
    expect(page).toContain(`<span class="viewer-name">${name}</span>`);
    expect((await getUserByEmail(testDeps().sql, email))?.role).toBe('reader');
  });

  it('re-renders with the reason when the username is taken (409), keeping what was typed but not the password', async () => {
    const existing = await createUser({ role: 'reader' });
    const response = await call(
      '/register',
      formPost({
        email: `${unique('x')}@example.com`,
        username: existing.username,
        password: 'a sturdy passphrase 42',
      }),
    );
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('That username is taken.');
    expect(html).toContain(`value="${existing.username}"`);
    expect(html).not.toContain('a sturdy passphrase 42');
  });
});

describe('viewer slots on shared pages', () => {
  it('anonymous pages carry a sign-in link back to the page and stay shareable', async () => {
    const post = await createPost();
    const response = await call(`/posts/${post.slug}`);
    const html = await response.text();
    expect(html).toContain(`href="/login?next=%2Fposts%2F${post.slug}"`);
    expect(html).not.toContain('<!--viewer:');
    expect(response.headers.get('cache-control') ?? '').not.toMatch(/private/);
    expect(response.headers.get('vary')).toMatch(/Cookie/);
  });

  it('signed-in pages show the viewer, are private and no-store, and do not leak into the shared copy', async () => {
    const post = await createPost();
    const user = await createUser({ role: 'reader', displayName: 'Only Mine' });
    const cookie = await browserSignIn(user);
    const mine = await call(`/posts/${post.slug}`, { headers: { Cookie: cookie } });
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    expect(await mine.text()).toContain('Only Mine');
    const theirs = await call(`/posts/${post.slug}`);
    expect(theirs.headers.get('x-cache')).toBe('HIT');
    const shared = await theirs.text();
    expect(shared).not.toContain('Only Mine');
    expect(shared).not.toContain('_csrf');
  });

  it('never answers a signed-in reader 304 with the visitors’ copy they kept from before signing in', async () => {
    const post = await createPost();
    const before = await call(`/posts/${post.slug}`);
    const etag = before.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const user = await createUser({ role: 'reader', displayName: 'Signed In Since' });
    const cookie = await browserSignIn(user);
    const after = await call(`/posts/${post.slug}`, { headers: { Cookie: cookie, 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).toBeNull();
    expect(await after.text()).toContain('Signed In Since');
  });

  it('an unknown or forged cookie shows the page signed out', async () => {
    const html = await (
      await call('/', { headers: { Cookie: 'lembas_session=forged-token-that-is-long-enough' } })
    ).text();
    expect(html).toContain('Sign in');
  });
});

describe('POST /logout', () => {
  it('revokes the session on the server, so the old cookie no longer signs in', async () => {
    const user = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(user);
    const token = await csrfTokenOf(cookie);
    const response = await call('/logout', formPost({ _csrf: token }, { cookie }));
    expect(response.status).toBe(303);
    expect(setCookiesOf(response).some((c) => /^lembas_session=;/.test(c) && /Max-Age=0/.test(c))).toBe(true);
    const after = await (await call('/', { headers: { Cookie: cookie } })).text();
    expect(after).not.toContain('viewer-name');
  });

  it('refuses a sign-out without the form token (403) and the session lives on', async () => {
    const user = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(user);
    expect((await call('/logout', formPost({ _csrf: 'wrong' }, { cookie }))).status).toBe(403);
    expect((await call('/logout', formPost({}, { cookie, origin: 'https://evil.example' }))).status).toBe(403);
    expect(await (await call('/', { headers: { Cookie: cookie } })).text()).toContain('viewer-name');
  });

  it('a disabled account is signed out at once', async () => {
    const user = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(user);
    await testDeps().sql`UPDATE users SET disabled = true WHERE id = ${user.id}`;
    expect(await (await call('/', { headers: { Cookie: cookie } })).text()).not.toContain('viewer-name');
  });
});

describe('requireSignedIn', () => {
  // A page app built as functions/index.ts builds one, with a route that needs an editor.
  const app = new Hono<AppEnv>()
    .use(initRequest())
    .use(viewerSession())
    .get('/area', requireSignedIn('editor'), async (c) => c.text(`hello ${(await signedInSession(c)).user.username}`))
    .post('/area', requireSignedIn('editor'), (c) => c.text('changed'));
  app.onError(handleError);

  async function request(path: string, init?: RequestInit) {
    const ctx = createExecutionContext();
    const response = await app.request(path, init, env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  it('redirects a visitor to sign in, coming back afterwards', async () => {
    const response = await request('/area?x=1');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Farea%3Fx%3D1');
  });

  it('answers 403 below the role and lets the role in', async () => {
    const reader = await browserSignIn(await createUser({ role: 'reader' }));
    expect((await request('/area', { headers: { Cookie: reader } })).status).toBe(403);
    const editorUser = await createUser({ role: 'editor' });
    const editor = await browserSignIn(editorUser);
    const response = await request('/area', { headers: { Cookie: editor } });
    expect(await response.text()).toBe(`hello ${editorUser.username}`);
  });

  it('checks the form token on posts', async () => {
    const editor = await browserSignIn(await createUser({ role: 'editor' }));
    const token = await csrfTokenOf(editor);
    expect((await request('/area', formPost({ _csrf: 'nope' }, { cookie: editor }))).status).toBe(403);
    expect((await request('/area', formPost({ _csrf: token }, { cookie: editor }))).status).toBe(200);
  });
});

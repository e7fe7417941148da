import { describe, expect, it } from 'vitest';
import { getUserById } from '../lib/db/users';
import { call, createUser, jsonRequest, logInAs, testDeps, unique, uniqueIp } from './helpers';

function newAccount() {
  const name = unique('reg').replaceAll('-', '_').slice(0, 32);
  return { email: `${name}@example.com`, username: name, password: 'a sturdy passphrase 42' };
}

function cookieOf(response: Response): string {
  return response.headers.get('set-cookie') ?? '';
}

describe('POST /api/auth/register', () => {
  it('creates a reader, ignoring a role in the body, and shows no password hash', async () => {
    const account = newAccount();
    const response = await call(
      '/api/auth/register',
      jsonRequest('POST', { ...account, displayName: 'New Reader', role: 'admin' }, { 'CF-Connecting-IP': uniqueIp() }),
    );
    expect(response.status).toBe(201);
    const user = await response.json<Record<string, any>>();
    expect(user).toMatchObject({
      email: account.email,
      username: account.username,
      displayName: 'New Reader',
      role: 'reader',
      disabled: false,
    });
    expect(response.headers.get('location')).toBe(`/api/users/${user.id}`);
    expect(JSON.stringify(user)).not.toMatch(/password|pbkdf2/i);
  });

  it('defaults the display name to the username, and the new account can sign in', async () => {
    const account = newAccount();
    const response = await call('/api/auth/register', jsonRequest('POST', account, { 'CF-Connecting-IP': uniqueIp() }));
    expect((await response.json<Record<string, any>>()).displayName).toBe(account.username);
    const { response: login, body } = await logInAs(account);
    expect(login.status).toBe(200);
    expect(body.user.username).toBe(account.username);
  });

  it('accepts a 128-character passphrase', async () => {
    const account = { ...newAccount(), password: 'a long passphrase '.repeat(8).slice(0, 128) };
    expect(account.password).toHaveLength(128);
    const response = await call('/api/auth/register', jsonRequest('POST', account, { 'CF-Connecting-IP': uniqueIp() }));
    expect(response.status).toBe(201);
  });
});

describe('POST /api/auth/login', () => {
  it('returns an access token, a refresh token and the user, and sets a locked-down refresh cookie', async () => {
    const user = await createUser({ role: 'author' });
    const { response, body } = await logInAs(user);
    expect(response.status).toBe(200);
    // It sets a cookie: personal, whatever the route said (functions/middleware.ts edgeCachePolicy).
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      user: { id: user.id, email: user.email, role: 'author' },
    });
    expect(body.user.passwordHash).toBeUndefined();
    const days = (Date.parse(body.refreshExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(59);
    expect(days).toBeLessThanOrEqual(60);

    const cookie = cookieOf(response);
    expect(cookie).toContain(`lembas_refresh=${body.refreshToken}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth(;|$)/);
    expect(cookie).toMatch(/Secure/);
  });

  it('matches the email case-insensitively', async () => {
    const user = await createUser();
    const { response } = await logInAs({ email: user.email.toUpperCase(), password: user.password });
    expect(response.status).toBe(200);
  });

  it('rehashes a password stored with weaker parameters', async () => {
    const user = await createUser(); // the helper hashes with 1,000 iterations to keep tests fast
    expect(user.passwordHash).toMatch(/^pbkdf2-sha256\$i=1000,/);
    expect((await logInAs(user)).response.status).toBe(200);
    const stored = await getUserById(testDeps().sql, user.id);
    expect(stored?.passwordHash).toMatch(/^pbkdf2-sha256\$i=100000,/);
    expect((await logInAs(user)).response.status).toBe(200);
  });
});

describe('GET /api/auth/me', () => {
  it('returns the signed-in user’s full profile', async () => {
    const user = await createUser({ role: 'editor', displayName: 'Edith Editor' });
    const { body } = await logInAs(user);
    const response = await call('/api/auth/me', { headers: { Authorization: `Bearer ${body.accessToken}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: user.id,
      email: user.email,
      displayName: 'Edith Editor',
      role: 'editor',
    });
  });
});

describe('POST /api/auth/refresh', () => {
  it('trades a refresh token in the body for a new pair in the same family', async () => {
    const user = await createUser();
    const { body: first } = await logInAs(user);
    const response = await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: first.refreshToken }));
    expect(response.status).toBe(200);
    const second = await response.json<Record<string, any>>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(user.id);
    // The family's absolute expiry carries over: refreshing never extends a sign-in.
    expect(second.refreshExpiresAt).toBe(first.refreshExpiresAt);
    expect(cookieOf(response)).toContain(`lembas_refresh=${second.refreshToken}`);
    const me = await call('/api/auth/me', { headers: { Authorization: `Bearer ${second.accessToken}` } });
    expect(me.status).toBe(200);
  });

  it('accepts the token from the cookie when the body has none', async () => {
    const user = await createUser();
    const { body: first } = await logInAs(user);
    const response = await call('/api/auth/refresh', {
      method: 'POST',
      headers: { Cookie: `lembas_refresh=${first.refreshToken}` },
    });
    expect(response.status).toBe(200);
    const again = await call('/api/auth/refresh', {
      method: 'POST',
      headers: { Cookie: `lembas_refresh=${(await response.json<Record<string, any>>()).refreshToken}` },
    });
    expect(again.status).toBe(200);
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the sign-in given in the body and clears the cookie', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const response = await call('/api/auth/logout', jsonRequest('POST', { refreshToken: body.refreshToken }));
    expect(response.status).toBe(204);
    expect(cookieOf(response)).toMatch(/lembas_refresh=;.*Max-Age=0/i);
    expect(cookieOf(response)).toMatch(/Path=\/api\/auth/);
    const refresh = await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: body.refreshToken }));
    expect(refresh.status).toBe(401);
  });

  it('ends the sign-in given in the cookie, including tokens refreshed from it', async () => {
    const user = await createUser();
    const { body: first } = await logInAs(user);
    const rotated = await (
      await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: first.refreshToken }))
    ).json<Record<string, any>>();
    const response = await call('/api/auth/logout', {
      method: 'POST',
      headers: { Cookie: `lembas_refresh=${rotated.refreshToken}` },
    });
    expect(response.status).toBe(204);
    expect((await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: rotated.refreshToken }))).status).toBe(
      401,
    );
  });

  it('answers 204 without any token, so a client can always call it', async () => {
    expect((await call('/api/auth/logout', { method: 'POST' })).status).toBe(204);
  });
});

describe('GET /openapi.json', () => {
  it('documents every auth and users route with its schemas', async () => {
    const doc = await (await call('/openapi.json')).json<Record<string, any>>();
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout']) {
      expect(doc.paths[path]?.post, path).toBeDefined();
    }
    expect(doc.paths['/api/auth/me'].get).toBeDefined();
    expect(Object.keys(doc.paths['/api/users'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/users/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(doc.components.schemas).toHaveProperty('TokenResponse');
    expect(doc.components.schemas).toHaveProperty('RegisterBody');
    expect(doc.components.schemas.RegisterBody.properties.password).toMatchObject({ minLength: 10, maxLength: 128 });
  });
});

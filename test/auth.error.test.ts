import { describe, expect, it } from 'vitest';
import { call, createUser, jsonRequest, logInAs, signedIn, unique, uniqueIp } from './helpers';

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };

function newAccount() {
  const name = unique('err').replaceAll('-', '_').slice(0, 32);
  return { email: `${name}@example.com`, username: name, password: 'a sturdy passphrase 42' };
}

function register(body: unknown): Promise<Response> {
  return call('/api/auth/register', jsonRequest('POST', body, { 'CF-Connecting-IP': uniqueIp() }));
}

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return response.json<Problem>();
}

async function expectFieldError(response: Response, path: string, message?: RegExp): Promise<void> {
  expect(response.status).toBe(422);
  const problem = await problemOf(response);
  expect(problem.code).toBe('validation_failed');
  const error = problem.errors?.find((e) => e.path === path);
  expect(error, `an error at ${path} in ${JSON.stringify(problem.errors)}`).toBeDefined();
  if (message) expect(error?.message).toMatch(message);
}

describe('POST /api/auth/register with a bad body', () => {
  it('lists every missing field', async () => {
    const response = await register({});
    expect(response.status).toBe(422);
    const paths = (await problemOf(response)).errors?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.username', 'body.password']));
  });

  it('rejects wrong types', async () => {
    await expectFieldError(await register({ ...newAccount(), email: 42 }), 'body.email');
    await expectFieldError(await register({ ...newAccount(), password: ['a', 'b'] }), 'body.password');
    await expectFieldError(await register({ ...newAccount(), displayName: { first: 'Ada' } }), 'body.displayName');
  });

  it('rejects a malformed email and username', async () => {
    await expectFieldError(await register({ ...newAccount(), email: 'not-an-email' }), 'body.email');
    await expectFieldError(await register({ ...newAccount(), username: 'has spaces' }), 'body.username');
    await expectFieldError(await register({ ...newAccount(), username: 'ab' }), 'body.username');
  });

  it('rejects values that are too long', async () => {
    await expectFieldError(await register({ ...newAccount(), email: `${'a'.repeat(250)}@example.com` }), 'body.email');
    await expectFieldError(await register({ ...newAccount(), username: 'u'.repeat(33) }), 'body.username');
    await expectFieldError(await register({ ...newAccount(), displayName: 'd'.repeat(81) }), 'body.displayName');
    await expectFieldError(
      await register({ ...newAccount(), password: 'p'.repeat(129) }),
      'body.password',
      /at most 128/,
    );
  });

  it('rejects a password under 10 characters', async () => {
    await expectFieldError(await register({ ...newAccount(), password: 'short-pw1' }), 'body.password', /at least 10/);
  });

  it('rejects a very common password, whatever its case', async () => {
    await expectFieldError(await register({ ...newAccount(), password: 'Password123' }), 'body.password', /common/);
    await expectFieldError(await register({ ...newAccount(), password: 'QWERTYUIOP' }), 'body.password', /common/);
    await expectFieldError(await register({ ...newAccount(), password: '1234567890' }), 'body.password', /common/);
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await call('/api/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': uniqueIp() },
      body: '{"email": "a@example.com",',
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe('bad_request');
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await call('/api/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'CF-Connecting-IP': uniqueIp() },
      body: 'email=a@example.com',
    });
    expect(response.status).toBe(415);
    expect((await problemOf(response)).code).toBe('unsupported_media_type');
  });

  it('answers 422 to no body at all', async () => {
    const response = await call('/api/auth/register', { method: 'POST', headers: { 'CF-Connecting-IP': uniqueIp() } });
    expect(response.status).toBe(422);
  });
});

describe('POST /api/auth/register with a taken identity', () => {
  it('answers 409 to a registered email, in any case', async () => {
    const existing = await createUser();
    const response = await register({ ...newAccount(), email: existing.email.toUpperCase() });
    expect(response.status).toBe(409);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ code: 'conflict', detail: 'That email is already registered.' });
  });

  it('answers 409 to a taken username, in any case', async () => {
    const existing = await createUser();
    const response = await register({ ...newAccount(), username: existing.username.toUpperCase() });
    expect(response.status).toBe(409);
    expect((await problemOf(response)).detail).toBe('That username is taken.');
  });
});

describe('POST /api/auth/login failures', () => {
  const comparable = (p: Problem & Record<string, unknown>) => ({ ...p, requestId: undefined });

  it('gives the same 401 for a wrong password, an unknown email and a disabled account', async () => {
    const user = await createUser();
    const disabled = await createUser();
    const { headers } = await signedIn('admin');
    await call(`/api/users/${disabled.id}`, jsonRequest('PATCH', { disabled: true }, headers));

    const wrong = await logInAs({ email: user.email, password: 'not the right password' });
    const unknown = await logInAs({ email: `${unique('nobody')}@example.com`, password: 'not the right password' });
    const off = await logInAs(disabled); // the right password
    for (const attempt of [wrong, unknown, off]) {
      expect(attempt.response.status).toBe(401);
      expect(attempt.response.headers.get('set-cookie')).toBeNull();
    }
    expect(comparable(unknown.body as Problem)).toEqual(comparable(wrong.body as Problem));
    expect(comparable(off.body as Problem)).toEqual(comparable(wrong.body as Problem));
    expect(wrong.body).toMatchObject({ code: 'unauthorized', detail: 'The email or password is incorrect.' });
  });

  it('rejects missing fields, wrong types and over-long passwords with 422', async () => {
    const login = (body: unknown) =>
      call('/api/auth/login', jsonRequest('POST', body, { 'CF-Connecting-IP': uniqueIp() }));
    await expectFieldError(await login({ email: 'a@example.com' }), 'body.password');
    await expectFieldError(await login({ password: 'whatever-it-is' }), 'body.email');
    await expectFieldError(await login({ email: 'a@example.com', password: 12345678901 }), 'body.password');
    await expectFieldError(await login({ email: 'a@example.com', password: 'p'.repeat(129) }), 'body.password');
    await expectFieldError(await login({ email: 'a@example.com', password: '' }), 'body.password');
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await call('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'nope',
    });
    expect(response.status).toBe(400);
  });
});

describe('POST /api/auth/refresh failures', () => {
  it('answers 401 when no token is presented', async () => {
    const response = await call('/api/auth/refresh', { method: 'POST' });
    expect(response.status).toBe(401);
    expect((await problemOf(response)).detail).toMatch(/No refresh token/);
  });

  it('answers 401 to a token it never issued', async () => {
    const response = await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: 'made-up-token' }));
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('unauthorized');
  });

  it('answers 422 to a token of the wrong type or length', async () => {
    await expectFieldError(
      await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: 42 })),
      'body.refreshToken',
    );
    await expectFieldError(
      await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: 'x'.repeat(201) })),
      'body.refreshToken',
    );
  });

  it('does not accept an access token as a refresh token', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const response = await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: body.accessToken }));
    expect(response.status).toBe(401);
  });
});

describe('GET /api/auth/me failures', () => {
  it('answers 401 with a Bearer challenge when signed out', async () => {
    const response = await call('/api/auth/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 401 to a malformed Authorization header', async () => {
    const response = await call('/api/auth/me', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });
});

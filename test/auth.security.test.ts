import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { decideRateLimit, rateLimits, windowSeconds, type RateLimitName } from '../lib/auth/rate-limit';
import { hashRefreshToken } from '../lib/auth/sessions';
import { issueAccessToken } from '../lib/auth/tokens';
import { loadConfig } from '../lib/env';
import {
  awaitWholeWindow,
  call,
  createUser,
  jsonRequest,
  logInAs,
  signedIn,
  testDeps,
  unique,
  uniqueIp,
} from './helpers';

const SECRET = loadConfig(env).JWT_SECRET;

const me = (token: string) => call('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } });
const refresh = (refreshToken: string) => call('/api/auth/refresh', jsonRequest('POST', { refreshToken }));

function base64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function validClaims(user: { id: number; role: string }) {
  const iat = Math.floor(Date.now() / 1000);
  return { sub: String(user.id), role: user.role, iat, exp: iat + 600, iss: 'lembas' };
}

describe('access tokens', () => {
  it('accepts a token issued by the server', async () => {
    const { token } = await signedIn('reader');
    expect((await me(token)).status).toBe(200);
  });

  it.each([
    ['expired', async (u: { id: number; role: 'reader' }) => issueAccessToken(SECRET, u, Date.now() - 16 * 60_000)],
    [
      'signed with another secret',
      async (u: { id: number; role: 'reader' }) =>
        issueAccessToken('another-secret-that-is-also-32-characters-long', u),
    ],
    [
      'without exp',
      async (u: { id: number; role: 'reader' }) => {
        const { exp: _exp, ...claims } = validClaims(u);
        return sign(claims, SECRET, 'HS256');
      },
    ],
    [
      'with alg none',
      async (u: { id: number; role: 'reader' }) =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(validClaims(u))}.`,
    ],
    [
      'with another HMAC algorithm (HS512) and the right secret',
      async (u: { id: number; role: 'reader' }) => sign(validClaims(u), SECRET, 'HS512'),
    ],
    [
      'from another issuer',
      async (u: { id: number; role: 'reader' }) => sign({ ...validClaims(u), iss: 'someone-else' }, SECRET, 'HS256'),
    ],
    [
      'with a tampered payload',
      async (u: { id: number; role: 'reader' }) => {
        const [header, , signature] = (await issueAccessToken(SECRET, u)).split('.');
        return `${header}.${base64url({ ...validClaims(u), role: 'admin' })}.${signature}`;
      },
    ],
    ['that is not a JWT at all', async () => 'not.a.jwt'],
  ])('rejects a token %s with 401', async (_name, make) => {
    const user = await createUser({ role: 'reader' });
    const response = await me(await make({ id: user.id, role: 'reader' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('stops accepting a token once its user is deleted', async () => {
    const { headers: admin } = await signedIn('admin');
    const { user, token } = await signedIn('reader');
    expect((await call(`/api/users/${user.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await me(token)).status).toBe(401);
  });

  it('trusts the live role, not the one in the token', async () => {
    const { headers: admin } = await signedIn('admin');
    const { user, headers } = await signedIn('admin');
    expect((await call('/api/users', { headers })).status).toBe(200);
    await call(`/api/users/${user.id}`, jsonRequest('PATCH', { role: 'reader' }, admin));
    expect((await call('/api/users', { headers })).status).toBe(403);
  });
});

describe('refresh token storage and rotation', () => {
  it('stores only a SHA-256 of each refresh token', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const rows = await testDeps().sql`SELECT token_hash FROM sessions WHERE user_id = ${user.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(await hashRefreshToken(body.refreshToken));
    expect(rows[0]?.token_hash).not.toContain(body.refreshToken);
  });

  it('refuses a rotated token and, seeing it replayed, ends the whole family', async () => {
    const user = await createUser();
    const { body: first } = await logInAs(user);
    const second = await (await refresh(first.refreshToken)).json<Record<string, any>>();
    const third = await (await refresh(second.refreshToken)).json<Record<string, any>>();
    expect(third.refreshToken).toEqual(expect.any(String));

    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect((await replay.json<Record<string, any>>()).detail).toMatch(/already used/);
    // The thief's replay also ended the legitimate holder's current token: both must sign in again.
    expect((await refresh(third.refreshToken)).status).toBe(401);
    const rows = await testDeps()
      .sql`SELECT count(*)::int AS live FROM sessions WHERE user_id = ${user.id} AND revoked_at IS NULL`;
    expect(rows[0]?.live).toBe(0);
  });

  it('leaves the user’s other sign-ins alone when one family is revoked', async () => {
    const user = await createUser();
    const { body: laptop } = await logInAs(user);
    const { body: phone } = await logInAs(user);
    await refresh(laptop.refreshToken);
    expect((await refresh(laptop.refreshToken)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(200);
  });

  it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const results = await Promise.all([refresh(body.refreshToken), refresh(body.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('ends a session left idle for longer than 14 days', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const hash = await hashRefreshToken(body.refreshToken);
    await testDeps().sql`UPDATE sessions SET last_used_at = now() - interval '15 days' WHERE token_hash = ${hash}`;
    expect((await refresh(body.refreshToken)).status).toBe(401);
  });

  it('ends a session at its absolute expiry however recently it was used', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const next = await (await refresh(body.refreshToken)).json<Record<string, any>>();
    const hash = await hashRefreshToken(next.refreshToken);
    await testDeps().sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${hash}`;
    expect((await refresh(next.refreshToken)).status).toBe(401);
  });
});

describe('disabling and password changes end sessions', () => {
  it('makes a disabled user’s access and refresh tokens stop working at once', async () => {
    const user = await createUser({ role: 'author' });
    const { body } = await logInAs(user);
    expect((await me(body.accessToken)).status).toBe(200); // now cached as enabled
    const { headers: admin } = await signedIn('admin');
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { disabled: true }, admin))).status).toBe(200);

    expect((await me(body.accessToken)).status).toBe(401);
    expect((await refresh(body.refreshToken)).status).toBe(401);
    const rows = await testDeps()
      .sql`SELECT count(*)::int AS live FROM sessions WHERE user_id = ${user.id} AND revoked_at IS NULL`;
    expect(rows[0]?.live).toBe(0);

    // Re-enabling does not resurrect old sessions.
    await call(`/api/users/${user.id}`, jsonRequest('PATCH', { disabled: false }, admin));
    expect((await refresh(body.refreshToken)).status).toBe(401);
    expect((await logInAs(user)).response.status).toBe(200);
  });

  it('ends every session when the password changes', async () => {
    const user = await createUser();
    const { body } = await logInAs(user);
    const change = await call(
      `/api/users/${user.id}`,
      jsonRequest(
        'PATCH',
        { password: 'a brand new passphrase', currentPassword: user.password },
        { Authorization: `Bearer ${body.accessToken}` },
      ),
    );
    expect(change.status).toBe(200);
    expect((await refresh(body.refreshToken)).status).toBe(401);
    expect((await logInAs(user)).response.status).toBe(401);
    expect((await logInAs({ email: user.email, password: 'a brand new passphrase' })).response.status).toBe(200);
  });
});

/** The `RateLimit` field as { policy: { r, t } }; the items are `"name";r=<n>;t=<n>`. */
function remainingOf(response: Response): Record<string, { r: number; t: number }> {
  return Object.fromEntries(
    (response.headers.get('ratelimit') ?? '').split(', ').map((item) => {
      const [, name, r, t] = /^"(\w+)";r=(\d+);t=(\d+)$/.exec(item) ?? [];
      return [name, { r: Number(r), t: Number(t) }];
    }),
  );
}

const policyOf = (...names: RateLimitName[]) =>
  names.map((name) => `"${name}";q=${rateLimits[name].tokens};w=${windowSeconds(rateLimits[name].window)}`).join(', ');

describe('rate limits', () => {
  it('tells a client its sign-in limits (RateLimit-Policy, RateLimit), counted down by each attempt', async () => {
    const user = await createUser();
    const ip = { 'CF-Connecting-IP': uniqueIp() };
    const first = (await logInAs(user, ip)).response;
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe(
      policyOf('loginPerIp', 'loginPerAccountFromIp', 'loginPerAccount'),
    );
    const wrong = (await logInAs({ email: user.email, password: 'not the password' }, ip)).response;
    expect(wrong.status).toBe(401);
    const [before, after] = [remainingOf(first), remainingOf(wrong)];
    for (const name of ['loginPerIp', 'loginPerAccountFromIp', 'loginPerAccount'] as const) {
      // Fresh keys: no earlier window weighs in, so the count is exact.
      expect([name, before[name]!.r, after[name]!.r]).toEqual([
        name,
        rateLimits[name].tokens - 1,
        rateLimits[name].tokens - 2,
      ]);
      expect(after[name]!.t).toBeLessThanOrEqual(windowSeconds(rateLimits[name].window));
    }
  });

  it(`refuses the sign-in after ${rateLimits.loginPerAccountFromIp.tokens} attempts at one account from one IP, with 429 and Retry-After`, async () => {
    const user = await createUser();
    const ip = { 'CF-Connecting-IP': uniqueIp() };
    for (let i = 0; i < rateLimits.loginPerAccountFromIp.tokens; i++) {
      expect((await logInAs({ email: user.email, password: `wrong password ${i}` }, ip)).response.status).toBe(401);
    }
    const { response, body } = await logInAs(user, ip); // the right password, from the same address
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.code).toBe('rate_limited');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // The refusal carries the same limiter state: the exhausted limit at 0, resetting when Retry-After says.
    expect(response.headers.get('ratelimit-policy')).toBe(policyOf('loginPerIp', 'loginPerAccountFromIp'));
    const refused = remainingOf(response).loginPerAccountFromIp!;
    expect(refused.r).toBe(0);
    expect(Math.abs(refused.t - retryAfter)).toBeLessThanOrEqual(1);
    // The account key ignores case, so changing it does not buy more attempts.
    expect((await logInAs({ email: user.email.toUpperCase(), password: user.password }, ip)).response.status).toBe(429);
    // The owner, signing in from elsewhere, is not locked out by someone else's guesses.
    expect((await logInAs(user)).response.status).toBe(200);
  });

  it(`refuses the sign-in after ${rateLimits.loginPerAccount.tokens} attempts at one account from any IPs`, async () => {
    const user = await createUser();
    for (let i = 0; i < rateLimits.loginPerAccount.tokens; i++) {
      expect((await logInAs({ email: user.email, password: `wrong password ${i}` })).response.status).toBe(401);
    }
    const { response } = await logInAs(user); // the right password, from yet another IP
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
  });

  it('does not let attempts refused at one address spend the account’s shared budget', async () => {
    const user = await createUser();
    const ip = { 'CF-Connecting-IP': uniqueIp() };
    // Twice the per-address budget from one address: half are refused there and must not count account-wide.
    for (let i = 0; i < 2 * rateLimits.loginPerAccountFromIp.tokens; i++) {
      await logInAs({ email: user.email, password: `wrong password ${i}` }, ip);
    }
    for (let round = 0; round < 4; round++) {
      const other = { 'CF-Connecting-IP': uniqueIp() };
      for (let i = 0; i < rateLimits.loginPerAccountFromIp.tokens; i++) {
        await logInAs({ email: user.email, password: `wrong again ${i}` }, other);
      }
    }
    // 25 wrong attempts were counted account-wide (5 per address), below the ceiling of 30: the owner gets in.
    expect((await logInAs(user)).response.status).toBe(200);
  });

  it('counts IPv6 clients by /64, so stepping through addresses buys no fresh budget', async () => {
    const user = await createUser();
    const prefix = uniqueIp().replace(/::1$/, '');
    for (let i = 1; i <= rateLimits.loginPerAccountFromIp.tokens; i++) {
      const response = (
        await logInAs(
          { email: user.email, password: `wrong ${i}` },
          { 'CF-Connecting-IP': `${prefix}::${i.toString(16)}` },
        )
      ).response;
      expect(response.status).toBe(401);
    }
    const next = await logInAs(
      { email: user.email, password: 'wrong again' },
      { 'CF-Connecting-IP': `${prefix}::ffff` },
    );
    expect(next.response.status).toBe(429);
  });

  it(`refuses sign-ins after ${rateLimits.loginPerIp.tokens} attempts from one IP, whatever the accounts`, async () => {
    // Eleven sign-ins take a few seconds on a busy machine; the limit's window is one minute.
    await awaitWholeWindow(60_000, 15_000);
    const ip = uniqueIp();
    const attempt = () =>
      logInAs({ email: `${unique('probe')}@example.com`, password: 'guessing-again' }, { 'CF-Connecting-IP': ip });
    for (let i = 0; i < rateLimits.loginPerIp.tokens; i++) expect((await attempt()).response.status).toBe(401);
    const { response } = await attempt();
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Another address is unaffected.
    expect(
      (await logInAs({ email: `${unique('probe')}@example.com`, password: 'guessing-again' })).response.status,
    ).toBe(401);
  }, 30_000);

  it(`refuses registrations after ${rateLimits.registerPerIp.tokens} from one IP`, async () => {
    const ip = uniqueIp();
    const register = () => {
      const name = unique('flood').replaceAll('-', '_').slice(0, 32);
      return call(
        '/api/auth/register',
        jsonRequest(
          'POST',
          { email: `${name}@example.com`, username: name, password: 'a sturdy passphrase 42' },
          { 'CF-Connecting-IP': ip },
        ),
      );
    };
    for (let i = 0; i < rateLimits.registerPerIp.tokens; i++) expect((await register()).status).toBe(201);
    const response = await register();
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('rate limiting when Redis is unreachable', () => {
  // The same Worker, with its Upstash URL pointing at a port nothing listens on.
  async function callWithDeadRedis(path: string, init: RequestInit): Promise<Response> {
    const deadEnv = { ...env, UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' };
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(new URL(path, 'https://blog.example'), init), deadEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  it('fails closed: sign-in answers 503 with Retry-After, even with the right password', async () => {
    const user = await createUser();
    const response = await callWithDeadRedis(
      '/api/auth/login',
      jsonRequest('POST', { email: user.email, password: user.password }),
    );
    expect(response.status).toBe(503);
    const problem = await response.json<Record<string, any>>();
    expect(problem.code).toBe('unavailable');
    expect(problem.detail).toMatch(/cannot be counted/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('fails closed for registration too', async () => {
    const name = unique('dead').replaceAll('-', '_').slice(0, 32);
    const response = await callWithDeadRedis(
      '/api/auth/register',
      jsonRequest('POST', { email: `${name}@example.com`, username: name, password: 'a sturdy passphrase 42' }),
    );
    expect(response.status).toBe(503);
  });
});

describe('decideRateLimit', () => {
  const now = 1_000_000;

  it('allows when every limiter allows', () => {
    expect(decideRateLimit([{ ok: true, success: true, reset: now + 5_000 }], now)).toEqual({ action: 'allow' });
  });

  it('limits with the longest wait among the refusing limiters, rounded up', () => {
    const decision = decideRateLimit(
      [
        { ok: true, success: false, reset: now + 1_500 },
        { ok: true, success: true, reset: now + 99_000 },
        { ok: true, success: false, reset: now + 30_200 },
      ],
      now,
    );
    expect(decision).toEqual({ action: 'limit', retryAfterSeconds: 31 });
  });

  it('asks for at least one second even when the window has just turned', () => {
    expect(decideRateLimit([{ ok: true, success: false, reset: now - 10 }], now)).toEqual({
      action: 'limit',
      retryAfterSeconds: 1,
    });
  });

  it('refuses as unavailable when a limiter errored or timed out (fail closed), even if another refused', () => {
    expect(
      decideRateLimit(
        [
          { ok: true, success: true, reset: now },
          { ok: false, error: new Error('fetch failed') },
        ],
        now,
      ).action,
    ).toBe('unavailable');
    expect(decideRateLimit([{ ok: true, success: true, reset: now, timedOut: true }], now).action).toBe('unavailable');
    expect(
      decideRateLimit(
        [
          { ok: true, success: false, reset: now + 9_000 },
          { ok: false, error: 'boom' },
        ],
        now,
      ).action,
    ).toBe('unavailable');
  });
});

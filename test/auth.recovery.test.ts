import { describe, expect, it } from 'vitest';
import { bearer, call, createUser, jsonRequest, logInAs } from './helpers';

describe('a client holding an expired access token', () => {
  it('can still refresh, sign in and sign out: those routes ignore the Authorization header', async () => {
    const user = await createUser({ role: 'reader' });
    const { body } = await logInAs(user);
    const stale = { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxfQ.invalid' };
    const refreshed = await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: body.refreshToken }, stale));
    expect(refreshed.status).toBe(200);
    const again = await logInAs(user, stale);
    expect(again.response.status).toBe(200);
    const out = await call('/api/auth/logout', jsonRequest('POST', { refreshToken: again.body.refreshToken }, stale));
    expect(out.status).toBe(204);
  });

  it('is still refused everywhere else', async () => {
    const stale = { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxfQ.invalid' };
    expect((await call('/api/auth/me', { headers: stale })).status).toBe(401);
  });
});

describe('changing your password', () => {
  it('limits guesses at the current password like sign-ins (429 with Retry-After)', async () => {
    const user = await createUser({ role: 'reader' });
    const headers = await bearer(user);
    const guess = (currentPassword: string) =>
      call(
        `/api/users/${user.id}`,
        jsonRequest('PATCH', { password: 'a brand new passphrase', currentPassword }, headers),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await guess(`wrong guess ${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses[5]).toBe(429);
    const limited = await guess(user.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

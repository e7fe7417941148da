import { describe, expect, it } from 'vitest';
import { createUser, jsonRequest, logInAs, call } from './helpers';

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

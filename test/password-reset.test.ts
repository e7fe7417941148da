// Password reset through the mailed link, over the API and the pages: one answer for every address, single use,
// one hour, every session ended, rate limits per address and per IP, and a failed mail shown as failed.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_TOKEN_SECONDS, newAccountToken } from '../lib/auth/account-tokens';
import { insertPasswordResetToken } from '../lib/db/account-tokens';
import { awaitWholeWindow, call, createUser, jsonRequest, logInAs, testDeps, unique, uniqueIp } from './helpers';
import { failMailTo, latestMailTo, linkIn, mailTo } from './mailbox';
import { browserSignIn, formPost } from './web-helpers';

const NEW_PASSWORD = 'a fresh passphrase 77';

function askForReset(email: string, ip = uniqueIp()): Promise<Response> {
  return call('/api/auth/password-reset', jsonRequest('POST', { email }, { 'CF-Connecting-IP': ip }));
}

function confirmReset(token: string, password = NEW_PASSWORD): Promise<Response> {
  return call(
    '/api/auth/password-reset/confirm',
    jsonRequest('POST', { token, password }, { 'CF-Connecting-IP': uniqueIp() }),
  );
}

/** Asks for a reset and returns the token from the link in the mail that arrived. */
async function mailedToken(email: string): Promise<string> {
  expect((await askForReset(email)).status).toBe(202);
  const token = linkIn(await latestMailTo(email), '/reset').searchParams.get('token');
  if (!token) throw new Error('no token in the reset link');
  return token;
}

describe('POST /api/auth/password-reset', () => {
  it('mails a link to /reset for a known address, answering 202', async () => {
    const user = await createUser({ role: 'reader' });
    const response = await askForReset(user.email.toUpperCase());
    expect(response.status).toBe(202);
    // The limits it counted against, as the RateLimit fields every rate-limited answer carries.
    expect(response.headers.get('ratelimit-policy')).toBe(
      '"passwordResetPerIp";q=10;w=3600, "passwordResetPerAccount";q=3;w=3600',
    );
    const [mail, ...others] = await mailTo(user.email);
    expect(others).toEqual([]);
    expect(mail!.subject).toBe('Reset your lembas password');
    const link = linkIn(mail!, '/reset');
    expect(link.origin).toBe('https://blog.example');
    expect(link.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail!.text).toContain('60 minutes');
  });

  it('gives an unknown address exactly the same answer, and mails it a message without a reset link', async () => {
    const known = await createUser({ role: 'reader' });
    const unknown = `${unique('nobody')}@example.com`;
    const [forKnown, forUnknown] = await Promise.all([askForReset(known.email), askForReset(unknown)]);
    expect(forUnknown.status).toBe(forKnown.status);
    expect(await forUnknown.text()).toBe(await forKnown.text());
    const mail = await latestMailTo(unknown);
    expect(mail.subject).toBe((await latestMailTo(known.email)).subject);
    expect(mail.text).not.toContain('/reset');
    expect(mail.text).toContain('no account uses it');
  });

  it('answers 503 when the mail cannot be sent, known address or not, and says so', async () => {
    const user = await createUser({ role: 'reader' });
    const unknown = `${unique('nobody')}@example.com`;
    await Promise.all([failMailTo(user.email), failMailTo(unknown)]);
    for (const email of [user.email, unknown]) {
      const response = await askForReset(email);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
      const problem = await response.json<{ detail: string }>();
      expect(problem.detail).toContain('could not be sent');
    }
    // Nothing else changed: the password still works.
    expect((await logInAs(user)).response.status).toBe(200);
  });

  it('limits mails to one address (whether or not an account uses it) to 3 an hour, from any IP', async () => {
    await awaitWholeWindow(60 * 60_000, 15_000);
    const user = await createUser({ role: 'reader' });
    const unknown = `${unique('nobody')}@example.com`;
    for (const email of [user.email, unknown]) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await askForReset(email)).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      expect(await mailTo(email)).toHaveLength(3);
    }
    const limited = await askForReset(user.email);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits requests from one IP to 10 an hour, whatever the addresses', async () => {
    await awaitWholeWindow(60 * 60_000, 15_000);
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await askForReset(`${unique('many')}@example.com`, ip)).status);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('refuses a malformed address with 422', async () => {
    expect((await askForReset('not an address')).status).toBe(422);
  });
});

describe('POST /api/auth/password-reset/confirm', () => {
  it('sets the new password and ends every session of the account', async () => {
    const user = await createUser({ role: 'reader' });
    const { body: tokens } = await logInAs(user);
    const cookie = await browserSignIn(user);
    const token = await mailedToken(user.email);
    expect((await confirmReset(token)).status).toBe(204);

    expect((await logInAs(user)).response.status).toBe(401);
    expect((await logInAs({ email: user.email, password: NEW_PASSWORD })).response.status).toBe(200);
    const refreshed = await call('/api/auth/refresh', jsonRequest('POST', { refreshToken: tokens.refreshToken }));
    expect(refreshed.status).toBe(401);
    const page = await call('/admin/profile', { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/login/);
  });

  it('works once: the same token again is refused with 400', async () => {
    const user = await createUser({ role: 'reader' });
    const token = await mailedToken(user.email);
    const [first, second] = await Promise.all([confirmReset(token), confirmReset(token, 'another passphrase 88')]);
    expect([first.status, second.status].sort()).toEqual([204, 400]);
    const again = await confirmReset(token);
    expect(again.status).toBe(400);
    expect((await again.json<{ detail: string }>()).detail).toContain('Ask for a new one');
  });

  it('voids the account’s other reset links once one is used', async () => {
    const user = await createUser({ role: 'reader' });
    const older = await mailedToken(user.email);
    const newer = await mailedToken(user.email);
    expect((await confirmReset(newer)).status).toBe(204);
    expect((await confirmReset(older, 'yet another passphrase')).status).toBe(400);
  });

  it('refuses a token after its hour', async () => {
    const user = await createUser({ role: 'reader' });
    const { token, tokenHash } = await newAccountToken();
    // Issued as the request would issue it, but with a lifetime already over.
    const holder = await insertPasswordResetToken(testDeps().sql, {
      email: user.email,
      tokenHash,
      lifetimeSeconds: -1,
    });
    expect(holder?.id).toBe(user.id);
    expect((await confirmReset(token)).status).toBe(400);
    expect((await logInAs(user)).response.status).toBe(200);
    // A fresh one, issued a moment ago, is within its hour.
    const fresh = await newAccountToken();
    await insertPasswordResetToken(testDeps().sql, {
      email: user.email,
      tokenHash: fresh.tokenHash,
      lifetimeSeconds: ACCOUNT_TOKEN_SECONDS.password_reset,
    });
    expect((await confirmReset(fresh.token)).status).toBe(204);
  });

  it('refuses unknown and malformed tokens alike, and holds the new password to the sign-up rules', async () => {
    expect((await confirmReset('A'.repeat(43))).status).toBe(400);
    expect((await confirmReset('short')).status).toBe(400);
    const user = await createUser({ role: 'reader' });
    const token = await mailedToken(user.email);
    expect((await confirmReset(token, 'short')).status).toBe(422);
    expect((await confirmReset(token, 'password123')).status).toBe(422);
    // A refused password did not use the token up.
    expect((await confirmReset(token)).status).toBe(204);
  });

  it('does nothing for a disabled account: no link is mailed', async () => {
    const user = await createUser({ role: 'reader' });
    const { updateUser } = await import('../lib/db/users');
    await updateUser(testDeps().sql, user.id, { disabled: true });
    expect((await askForReset(user.email)).status).toBe(202);
    expect((await latestMailTo(user.email)).text).not.toContain('/reset');
  });
});

describe('the /forgot and /reset pages', () => {
  it('/forgot shows the same page whether or not an account uses the address', async () => {
    const user = await createUser({ role: 'reader' });
    expect((await call('/forgot')).status).toBe(200);
    const known = await call('/forgot', formPost({ email: user.email }));
    const unknown = await call('/forgot', formPost({ email: `${unique('nobody')}@example.com` }));
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const page = await known.text();
    expect(await unknown.text()).toBe(page);
    expect(page).toContain('Check your inbox');
  });

  it('/forgot shows the form again with the reason when the address is malformed or the mail fails', async () => {
    const bad = await call('/forgot', formPost({ email: 'nope' }));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('value="nope"');
    const user = await createUser({ role: 'reader' });
    await failMailTo(user.email);
    const failed = await call('/forgot', formPost({ email: user.email }));
    expect(failed.status).toBe(503);
    expect(await failed.text()).toContain('could not be sent');
  });

  it('the mailed link opens a form that sets the password, ends the session and leads to sign-in', async () => {
    const user = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(user);
    await call('/forgot', formPost({ email: user.email }));
    const link = linkIn(await latestMailTo(user.email), '/reset');
    const form = await call(link.pathname + link.search);
    expect(form.status).toBe(200);
    const html = await form.text();
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBe(link.searchParams.get('token'));

    const weak = await call('/reset', formPost({ token: token!, password: 'short' }, { cookie }));
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('at least 10 characters');

    const done = await call('/reset', formPost({ token: token!, password: NEW_PASSWORD }, { cookie }));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/login?done=reset');
    expect(await (await call('/login?done=reset')).text()).toContain('Your password was changed');
    const signedOut = await call('/admin/profile', { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(signedOut.status).toBe(303);
    expect((await call('/login', formPost({ email: user.email, password: NEW_PASSWORD }))).status).toBe(303);

    const reused = await call('/reset', formPost({ token: token!, password: 'another passphrase 99' }));
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('Ask for a new link');
  });

  it('/reset with a malformed token says the link is incomplete', async () => {
    const response = await call('/reset?token=abc');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('incomplete');
  });

  it('the sign-in page links to /forgot', async () => {
    expect(await (await call('/login')).text()).toContain('href="/forgot"');
  });
});

describe('the cron', () => {
  it('deletes mailed tokens that ended more than a day ago, and keeps the others', async () => {
    const { deleteExpiredAccountTokens } = await import('../lib/db/account-tokens');
    const user = await createUser({ role: 'reader' });
    const old = await newAccountToken();
    const live = await newAccountToken();
    const sql = testDeps().sql;
    await insertPasswordResetToken(sql, { email: user.email, tokenHash: old.tokenHash, lifetimeSeconds: -2 * 86_400 });
    await insertPasswordResetToken(sql, { email: user.email, tokenHash: live.tokenHash, lifetimeSeconds: 3600 });
    expect(await deleteExpiredAccountTokens(sql)).toBeGreaterThanOrEqual(1);
    const rows =
      await sql`SELECT token_hash FROM account_tokens WHERE token_hash IN (${old.tokenHash}, ${live.tokenHash})`;
    expect(rows.map((r) => r.token_hash)).toEqual([live.tokenHash]);
  });
});

// Proving addresses: the link mailed at sign-up (and again on request), the rule on unconfirmed commenters, and
// changing one's address (a confirmation to the new address, a notice to the old one).
import { describe, expect, it } from 'vitest';
import { unverifiedCommentRefusal } from '../lib/comment-policy';
import { call, createPost, createUser, jsonRequest, logInAs, signedIn, testDeps, unique, uniqueIp } from './helpers';
import { failMailTo, latestMailTo, linkIn, mailTo } from './mailbox';
import { browserSignIn, formPost, sessionCookieFrom } from './web-helpers';

type Json = Record<string, any>;

function newAccount() {
  const name = unique('verify').replaceAll('-', '_').slice(0, 32);
  return { email: `${name}@example.com`, username: name, password: 'a sturdy passphrase 42' };
}

async function register(account = newAccount()): Promise<{ response: Response; body: Json; account: typeof account }> {
  const response = await call('/api/auth/register', jsonRequest('POST', account, { 'CF-Connecting-IP': uniqueIp() }));
  return { response, body: await response.json<Json>(), account };
}

async function me(account: { email: string; password: string }): Promise<Json> {
  const { body } = await logInAs(account);
  return (await call('/api/auth/me', { headers: { Authorization: `Bearer ${body.accessToken}` } })).json<Json>();
}

describe('the address check at sign-up', () => {
  it('mails a link that confirms the address once', async () => {
    const { response, body, account } = await register();
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ email: account.email, emailVerifiedAt: null, verificationEmail: 'sent' });
    const mail = await latestMailTo(account.email);
    expect(mail.subject).toBe('Confirm your address for lembas');
    const link = linkIn(mail, '/verify-email');
    const page = await call(link.pathname + link.search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Address confirmed');
    expect((await me(account)).emailVerifiedAt).toEqual(expect.any(String));
    const again = await call(link.pathname + link.search);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');
  });

  it('creates the account even when the mail cannot be sent, and says it was not sent', async () => {
    const account = newAccount();
    await failMailTo(account.email);
    const { response, body } = await register(account);
    expect(response.status).toBe(201);
    expect(body.verificationEmail).toBe('failed');
    expect((await logInAs(account)).response.status).toBe(200);
  });

  it('the /register form lands on a page saying where the link went', async () => {
    const account = newAccount();
    const response = await call('/register', formPost({ ...account, next: '/tags' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/verify-email?sent=1&next=%2Ftags');
    const page = await call(response.headers.get('location')!, { headers: { Cookie: sessionCookieFrom(response) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`We sent a link to ${account.email}`);
    expect(html).toContain('href="/tags"');
  });

  it('can be sent again (API and page) and confirmed through the API; a confirmed address is not mailed again', async () => {
    const { account } = await register();
    const { body: tokens } = await logInAs(account);
    const headers = { Authorization: `Bearer ${tokens.accessToken}` };
    const resent = await call('/api/auth/verify-email', { method: 'POST', headers });
    expect(resent.status).toBe(202);
    expect(await mailTo(account.email)).toHaveLength(2);
    const cookie = await browserSignIn(account);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      await (await call('/verify-email', { headers: { Cookie: cookie } })).text(),
    )![1]!;
    const fromPage = await call('/verify-email', formPost({ _csrf: csrf, next: '/' }, { cookie }));
    expect(fromPage.status).toBe(303);
    expect(await mailTo(account.email)).toHaveLength(3);

    const token = linkIn(await latestMailTo(account.email), '/verify-email').searchParams.get('token')!;
    expect((await call('/api/auth/verify-email/confirm', jsonRequest('POST', { token }))).status).toBe(204);
    expect((await call('/api/auth/verify-email/confirm', jsonRequest('POST', { token }))).status).toBe(400);
    expect((await call('/api/auth/verify-email', { method: 'POST', headers })).status).toBe(409);
  });
});

describe('commenting with an unconfirmed address', () => {
  const reader = { id: 1, username: 'r', displayName: 'R', role: 'reader' as const };

  it('is allowed while the site allows it (the default), and refused with a clear reason when it does not', () => {
    expect(unverifiedCommentRefusal({ ...reader, emailVerified: false }, true)).toBeNull();
    const refusal = unverifiedCommentRefusal({ ...reader, emailVerified: false }, false);
    expect(refusal).toMatchObject({ status: 403, message: expect.stringContaining('Confirm your email address') });
    expect(unverifiedCommentRefusal({ ...reader, emailVerified: true }, false)).toBeNull();
    expect(unverifiedCommentRefusal({ ...reader, role: 'author', emailVerified: false }, false)).toBeNull();
  });

  it('works for a reader who just signed up, by default', async () => {
    const { account } = await register();
    const { body: tokens } = await logInAs(account);
    const post = await createPost();
    const response = await call(
      `/api/posts/${post.id}/comments`,
      jsonRequest(
        'POST',
        { body: 'Hello before confirming.' },
        { Authorization: `Bearer ${tokens.accessToken}`, 'CF-Connecting-IP': uniqueIp() },
      ),
    );
    expect(response.status).toBe(201);
  });
});

describe('changing your own address', () => {
  async function askToChange(user: { id: number; password: string }, headers: Record<string, string>, email: string) {
    return call(`/api/users/${user.id}`, jsonRequest('PATCH', { email, currentPassword: user.password }, headers));
  }

  it('mails a confirmation to the new address and a notice to the old; the link makes the change', async () => {
    const { user, headers } = await signedIn('reader');
    const newEmail = `${unique('moved')}@example.com`;
    const response = await askToChange(user, headers, newEmail);
    expect(response.status).toBe(200);
    expect(await response.json<Json>()).toMatchObject({ email: user.email, pendingEmail: newEmail });

    const notice = await latestMailTo(user.email);
    expect(notice.subject).toBe('Your lembas address is about to change');
    expect(notice.text).toContain(newEmail);
    expect(notice.text).toContain('/forgot');
    const confirmation = await latestMailTo(newEmail);
    const link = linkIn(confirmation, '/confirm-email');
    // Until the link is opened, the old address still signs in.
    expect((await logInAs(user)).response.status).toBe(200);

    const page = await call(link.pathname + link.search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Your account now uses ${newEmail}`);
    expect((await logInAs(user)).response.status).toBe(401);
    const moved = await me({ email: newEmail, password: user.password });
    expect(moved).toMatchObject({ id: user.id, email: newEmail, emailVerifiedAt: expect.any(String) });
    expect((await call(link.pathname + link.search)).status).toBe(400);
  });

  it('moves a newsletter subscription of the old address to the confirmed new one', async () => {
    const { user, headers } = await signedIn('reader');
    const { sql } = testDeps();
    await sql`INSERT INTO subscribers (email, user_id, confirmed_at) VALUES (${user.email}, ${user.id}, now())`;
    const newEmail = `${unique('moved')}@example.com`;
    expect((await askToChange(user, headers, newEmail)).status).toBe(200);
    const token = linkIn(await latestMailTo(newEmail), '/confirm-email').searchParams.get('token')!;
    expect((await call('/api/auth/email-change/confirm', jsonRequest('POST', { token }))).status).toBe(200);
    const rows = await sql`SELECT email FROM subscribers WHERE user_id = ${user.id}`;
    expect(rows.map((row) => row.email)).toEqual([newEmail]);
  });

  it('refuses the change when another account took the address before the link was opened', async () => {
    const { user, headers } = await signedIn('reader');
    const newEmail = `${unique('contested')}@example.com`;
    expect((await askToChange(user, headers, newEmail)).status).toBe(200);
    const token = linkIn(await latestMailTo(newEmail), '/confirm-email').searchParams.get('token')!;
    await register({ ...newAccount(), email: newEmail });
    const response = await call('/api/auth/email-change/confirm', jsonRequest('POST', { token }));
    expect(response.status).toBe(409);
    expect((await logInAs(user)).response.status).toBe(200);
  });

  it('voids a password-reset link mailed to the old address', async () => {
    const { user, headers } = await signedIn('reader');
    await call(
      '/api/auth/password-reset',
      jsonRequest('POST', { email: user.email }, { 'CF-Connecting-IP': uniqueIp() }),
    );
    const resetToken = linkIn(await latestMailTo(user.email), '/reset').searchParams.get('token')!;
    const newEmail = `${unique('moved')}@example.com`;
    await askToChange(user, headers, newEmail);
    const token = linkIn(await latestMailTo(newEmail), '/confirm-email').searchParams.get('token')!;
    expect((await call('/api/auth/email-change/confirm', jsonRequest('POST', { token }))).status).toBe(200);
    const reset = await call(
      '/api/auth/password-reset/confirm',
      jsonRequest('POST', { token: resetToken, password: 'a takeover passphrase' }),
    );
    expect(reset.status).toBe(400);
  });

  it('an admin changing someone else’s address changes it at once, unconfirmed', async () => {
    const { headers } = await signedIn('admin');
    const { user } = await signedIn('reader');
    const newEmail = `${unique('set')}@example.com`;
    const response = await call(`/api/users/${user.id}`, jsonRequest('PATCH', { email: newEmail }, headers));
    expect(response.status).toBe(200);
    expect(await response.json<Json>()).toMatchObject({ email: newEmail, emailVerifiedAt: null });
  });

  it('the profile page starts the change and says what happens next', async () => {
    const user = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(user);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      await (await call('/admin/profile', { headers: { Cookie: cookie } })).text(),
    )![1]!;
    const newEmail = `${unique('paged')}@example.com`;
    const response = await call(
      '/admin/profile/email',
      formPost({ _csrf: csrf, email: newEmail, currentPassword: user.password }, { cookie }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profile?done=email');
    expect(await mailTo(newEmail)).toHaveLength(1);
    const wrong = await call(
      '/admin/profile/email',
      formPost({ _csrf: csrf, email: `${unique('paged')}@example.com`, currentPassword: 'wrong one' }, { cookie }),
    );
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('The current password is not correct');
  });
});

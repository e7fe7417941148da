// Email subscriptions: the double opt-in over the API and the form (one answer for every address), the mailed link
// (single use, a week), the signed one-click unsubscribe (RFC 8058, idempotent), rate limits, the Origin check on
// the shared-cached form, and the cron forgetting addresses that never confirm.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { getSubscriberByEmail } from '../lib/db/subscribers';
import { subscriberUnsubscribeLink } from '../lib/newsletter/unsubscribe';
import { loadConfig } from '../lib/env';
import {
  awaitWholeWindow,
  bearer,
  call,
  createPost,
  createUser,
  jsonRequest,
  testDeps,
  unique,
  uniqueIp,
} from './helpers';
import { failMailTo, latestMailTo, linkIn, mailTo } from './mailbox';
import { browserSignIn, csrfTokenOf, formPost, ORIGIN } from './web-helpers';

const newAddress = () => `${unique('sub')}@example.com`;

function subscribe(body: unknown, ip = uniqueIp()): Promise<Response> {
  return call('/api/subscribers', jsonRequest('POST', body, { 'CF-Connecting-IP': ip }));
}

/**
 * Opens the mailed confirmation link and presses its button, as a reader does; returns the answer to the press.
 * Opening alone confirms nothing (mail scanners open links): the page must offer the button with the token.
 */
async function confirmWith(link: URL): Promise<Response> {
  const opened = await call(link.pathname + link.search);
  expect(opened.status).toBe(200);
  const page = await opened.text();
  expect(page).toContain('<form method="post" action="/subscribe/confirm">');
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
  expect(token).toBe(link.searchParams.get('token'));
  return call('/subscribe/confirm', formPost({ token: token! }));
}

/** Subscribes and confirms through the link from the mail that arrived; returns the confirmation's response. */
async function subscribeAndConfirm(email: string): Promise<Response> {
  expect((await subscribe({ email })).status).toBe(202);
  return confirmWith(linkIn(await latestMailTo(email), '/subscribe/confirm'));
}

async function stateOf(email: string) {
  const subscriber = await getSubscriberByEmail(testDeps().sql, email);
  return subscriber === null ? 'none' : subscriber.confirmedAt ? 'confirmed' : 'pending';
}

/** The one-click POST a mail client sends: no cookie, no Origin, the RFC 8058 body. */
function oneClick(url: URL): Promise<Response> {
  return call(url.pathname + url.search, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
}

describe('POST /api/subscribers', () => {
  it('answers 202 and mails a confirmation link; the link confirms the address once', async () => {
    const email = newAddress();
    const response = await subscribe({ email, tags: ['edge', 'edge', 'cache'] });
    expect(response.status).toBe(202);
    expect(response.headers.get('ratelimit-policy')).toBe(
      '"subscribePerIp";q=10;w=3600, "subscribePerAddress";q=3;w=3600',
    );
    expect(await stateOf(email)).toBe('pending');
    const [mail, ...others] = await mailTo(email);
    expect(others).toEqual([]);
    expect(mail!.subject).toBe('Confirm your subscription to lembas');
    expect(mail!.text).toContain('7 days');
    expect(mail!.text).toContain('new posts tagged cache, edge from lembas');
    const link = linkIn(mail!, '/subscribe/confirm');
    expect(link.origin).toBe(ORIGIN);
    // Only a hash of the token is stored.
    const token = link.searchParams.get('token')!;
    const rows = await testDeps()
      .sql`SELECT confirm_token_hash, tags FROM subscribers WHERE lower(email) = lower(${email})`;
    expect(rows[0]!.confirm_token_hash).not.toContain(token);
    expect(rows[0]!.tags).toEqual(['cache', 'edge']);

    // A mail scanner opening the link confirms nothing.
    expect((await call(link.pathname + link.search)).status).toBe(200);
    expect(await stateOf(email)).toBe('pending');
    const confirmed = await confirmWith(link);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(await confirmed.text()).toContain(`New posts will be mailed to ${email}`);
    expect(await stateOf(email)).toBe('confirmed');

    const again = await call('/subscribe/confirm', formPost({ token }));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('was already used');
    expect(await stateOf(email)).toBe('confirmed');
  });

  it('gives a confirmed address the same answer, and mails it a note with its unsubscribe link instead', async () => {
    const confirmed = newAddress();
    expect((await subscribeAndConfirm(confirmed)).status).toBe(200);
    const fresh = newAddress();
    const [forConfirmed, forFresh] = await Promise.all([subscribe({ email: confirmed }), subscribe({ email: fresh })]);
    expect(forConfirmed.status).toBe(202);
    expect(await forConfirmed.text()).toBe(await forFresh.text());
    // By subject: a newsletter from another test file's published post may reach a confirmed address too.
    const note = (await mailTo(confirmed)).find((mail) => mail.subject.startsWith('You are subscribed'))!;
    expect(note.subject).toBe('You are subscribed to lembas');
    expect(note.text).not.toContain('/subscribe/confirm');
    expect(note.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    linkIn(note, '/subscribe/unsubscribe');
    expect(await stateOf(confirmed)).toBe('confirmed');
  });

  it('sends a pending address a fresh link, and the older one stops working', async () => {
    const email = newAddress();
    expect((await subscribe({ email })).status).toBe(202);
    const first = linkIn(await latestMailTo(email), '/subscribe/confirm');
    expect((await subscribe({ email: email.toUpperCase() })).status).toBe(202);
    const second = linkIn(await latestMailTo(email.toUpperCase()), '/subscribe/confirm');
    expect(second.toString()).not.toBe(first.toString());
    const press = (link: URL) => call('/subscribe/confirm', formPost({ token: link.searchParams.get('token')! }));
    expect((await press(first)).status).toBe(400);
    expect((await confirmWith(second)).status).toBe(200);
    expect(await stateOf(email)).toBe('confirmed');
  });

  it('refuses a link older than a week with a friendly page', async () => {
    const email = newAddress();
    expect((await subscribe({ email })).status).toBe(202);
    const link = linkIn(await latestMailTo(email), '/subscribe/confirm');
    await testDeps().sql`
      UPDATE subscribers SET created_at = now() - interval '7 days 1 minute' WHERE lower(email) = lower(${email})`;
    const response = await call('/subscribe/confirm', formPost({ token: link.searchParams.get('token')! }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('has expired');
    expect(page).toContain('href="/subscribe"');
    expect(await stateOf(email)).toBe('pending');
  });

  it('refuses a made-up or missing token with the same page', async () => {
    for (const query of ['?token=short', '']) {
      const response = await call(`/subscribe/confirm${query}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('This link no longer works');
    }
    for (const token of ['A'.repeat(43), 'short', '']) {
      const response = await call('/subscribe/confirm', formPost({ token }));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('This link no longer works');
    }
  });

  it('refuses a confirmation pressed from another site (Origin check)', async () => {
    const email = newAddress();
    expect((await subscribe({ email })).status).toBe(202);
    const token = linkIn(await latestMailTo(email), '/subscribe/confirm').searchParams.get('token')!;
    const response = await call('/subscribe/confirm', formPost({ token }, { origin: 'https://evil.example' }));
    expect(response.status).toBe(403);
    expect(await stateOf(email)).toBe('pending');
  });

  it('answers 422 problem+json for a bad address or bad tags, and mails nobody', async () => {
    for (const body of [{ email: 'not an address' }, { email: newAddress(), tags: ['Not A Slug'] }, {}]) {
      const response = await subscribe(body);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('answers 503 with Retry-After when the mail cannot be sent, and says so', async () => {
    const email = newAddress();
    await failMailTo(email);
    const response = await subscribe({ email });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    expect((await response.json<{ detail: string }>()).detail).toContain('could not be sent');
  });

  it('limits mails to one address to 3 an hour, from any IP', async () => {
    await awaitWholeWindow(60 * 60_000, 15_000);
    const email = newAddress();
    for (let i = 0; i < 3; i++) expect((await subscribe({ email })).status).toBe(202);
    const refused = await subscribe({ email });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toContain('"subscribePerAddress";r=0');
    expect(await mailTo(email)).toHaveLength(3);
  });

  it('limits sign-ups from one IP to 10 an hour, whatever the address', async () => {
    await awaitWholeWindow(60 * 60_000, 15_000);
    const ip = uniqueIp();
    for (let i = 0; i < 10; i++) expect((await subscribe({ email: newAddress() }, ip)).status).toBe(202);
    const email = newAddress();
    const refused = await subscribe({ email }, ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await mailTo(email)).toEqual([]);
  });
});

describe('the subscribe form (POST /subscribe)', () => {
  it('mails the link and answers with a "check your inbox" page', async () => {
    const email = newAddress();
    const response = await call('/subscribe', formPost({ email: ` ${email} ` }));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Check your inbox');
    linkIn(await latestMailTo(email), '/subscribe/confirm');
  });

  it('shows the form again with the address and the error for a bad address', async () => {
    const response = await call('/subscribe', formPost({ email: 'ada at example' }));
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain('value="ada at example"');
    expect(page).toContain('Enter an email address');
    expect(page).toContain('action="/subscribe"');
  });

  it('shows the form with the reason when the mail cannot be sent', async () => {
    const email = newAddress();
    await failMailTo(email);
    const response = await call('/subscribe', formPost({ email }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(await response.text()).toContain('could not be sent');
  });

  it('refuses a post from another site (Origin check: the shared page carries no per-visitor token)', async () => {
    const email = newAddress();
    const response = await call('/subscribe', formPost({ email }, { origin: 'https://evil.example' }));
    expect(response.status).toBe(403);
    const crossSite = await call('/subscribe', {
      ...formPost({ email }, { origin: null }),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Sec-Fetch-Site': 'cross-site',
      },
    });
    expect(crossSite.status).toBe(403);
    expect(await mailTo(email)).toEqual([]);
    expect(await stateOf(email)).toBe('none');
  });

  it('offers the tags of published posts, and a subscriber follows only the ones ticked', async () => {
    const tag = unique('Tag');
    const author = await createUser({ role: 'author' });
    // Not mailed to subscribers: tests here count the mail their addresses get.
    const created = await call(
      '/api/posts',
      jsonRequest(
        'POST',
        { title: 'Tagged', markdown: 'Hi.', tags: [tag], status: 'published', emailSubscribers: false },
        await bearer(author),
      ),
    );
    expect(created.status).toBe(201);
    const slug = (await created.json<{ tags: { slug: string }[] }>()).tags[0]!.slug;
    const page = await (await call('/subscribe')).text();
    expect(page).toContain(`name="tag-${slug}"`);

    const email = newAddress();
    const response = await call('/subscribe', formPost({ email, [`tag-${slug}`]: 'on' }));
    expect(response.status).toBe(200);
    const rows = await testDeps().sql`SELECT tags FROM subscribers WHERE lower(email) = lower(${email})`;
    expect(rows[0]!.tags).toEqual([slug]);

    const bad = await call('/subscribe', formPost({ email: newAddress(), 'tag-Not A Slug': 'on' }));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Choose at most 20 of the tags shown');
  });

  it('has a page of its own at /subscribe', async () => {
    const response = await call('/subscribe');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<form method="post" action="/subscribe">');
  });
});

describe('unsubscribing (/subscribe/unsubscribe)', () => {
  it('works in one click without signing in, and again (idempotent)', async () => {
    const email = newAddress();
    expect((await subscribeAndConfirm(email)).status).toBe(200);
    const subscriber = (await getSubscriberByEmail(testDeps().sql, email))!;
    const url = new URL(await subscriberUnsubscribeLink(loadConfig(env), subscriber.id));
    expect(url.pathname).toBe('/subscribe/unsubscribe');

    // Opening the link only asks; nothing changes until the button (or the mail client) posts.
    const page = await call(url.pathname + url.search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await stateOf(email)).toBe('confirmed');

    const first = await oneClick(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Unsubscribed');
    expect(await stateOf(email)).toBe('none');
    const second = await oneClick(url);
    expect(second.status).toBe(200);
  });

  it('refuses an altered or incomplete link, and unsubscribes nobody', async () => {
    const email = newAddress();
    expect((await subscribeAndConfirm(email)).status).toBe(200);
    const subscriber = (await getSubscriberByEmail(testDeps().sql, email))!;
    const url = new URL(await subscriberUnsubscribeLink(loadConfig(env), subscriber.id));
    const other = new URL(url);
    other.searchParams.set('subscriber', String(subscriber.id + 1));
    expect((await oneClick(other)).status).toBe(400);
    // A comment-notification link's signature is for another subject: it does not pass here.
    other.searchParams.set('subscriber', String(subscriber.id));
    other.searchParams.set('sig', 'x'.repeat(43));
    expect((await oneClick(other)).status).toBe(400);
    expect((await oneClick(new URL('/subscribe/unsubscribe', ORIGIN))).status).toBe(400);
    expect(await stateOf(email)).toBe('confirmed');
  });
});

describe('the cron', () => {
  it('forgets addresses that never confirmed within a week, and keeps the rest', async () => {
    const stale = newAddress();
    const recent = newAddress();
    const confirmed = newAddress();
    expect((await subscribe({ email: stale })).status).toBe(202);
    expect((await subscribe({ email: recent })).status).toBe(202);
    expect((await subscribeAndConfirm(confirmed)).status).toBe(200);
    await testDeps().sql`
      UPDATE subscribers SET created_at = now() - interval '8 days'
      WHERE lower(email) IN (lower(${stale}), lower(${confirmed}))`;

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await stateOf(stale)).toBe('none');
    expect(await stateOf(recent)).toBe('pending');
    expect(await stateOf(confirmed)).toBe('confirmed');
  });
});

describe('the subscribe form on every page', () => {
  it('is the same for every visitor (no per-visitor token in the shared page) and posts to /subscribe', async () => {
    const post = await createPost({});
    for (const path of ['/', `/posts/${post.slug}`, '/tags']) {
      const response = await call(path);
      expect(response.status).toBe(200);
      const footer = footerOf(await response.text());
      expect(footer).toContain('<form class="subscribe-form" method="post" action="/subscribe">');
      expect(footer).toContain('<label for="subscribe-email">');
      expect(footer).not.toContain('_csrf');
    }
  });

  it('is one click for a signed-in reader with a confirmed address, shows "Subscribed", and undoes', async () => {
    const reader = await createUser({ role: 'reader' });
    await testDeps().sql`UPDATE users SET email_verified_at = now() WHERE id = ${reader.id}`;
    const cookie = await browserSignIn(reader);
    const before = await call('/', { headers: { Cookie: cookie } });
    expect(before.headers.get('cache-control')).toContain('private');
    const footer = footerOf(await before.text());
    expect(footer).toContain('action="/subscribe/account"');
    expect(footer).toContain('Get new posts by email.');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(footer)![1]!;

    const subscribed = await call(
      '/subscribe/account',
      formPost({ _csrf: csrf, subscribe: 'true', next: '/' }, { cookie }),
    );
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain(`New posts will be mailed to ${reader.email}`);
    expect(await stateOf(reader.email)).toBe('confirmed');
    // Proven already: no confirmation mail.
    expect((await mailTo(reader.email)).filter((mail) => mail.subject.startsWith('Confirm'))).toEqual([]);
    const after = footerOf(await (await call('/tags', { headers: { Cookie: cookie } })).text());
    expect(after).toContain('Subscribed: new posts come to you by email.');
    expect(after).toContain('name="subscribe" value="false"');

    const undone = await call(
      '/subscribe/account',
      formPost({ _csrf: csrf, subscribe: 'false', next: '/' }, { cookie }),
    );
    expect(undone.status).toBe(200);
    expect(await stateOf(reader.email)).toBe('none');
  });

  it('mails the double opt-in link to a signed-in reader whose address is not confirmed yet', async () => {
    const reader = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(reader);
    const csrf = await csrfTokenOf(cookie);
    const response = await call('/subscribe/account', formPost({ _csrf: csrf, subscribe: 'true' }, { cookie }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Check your inbox');
    expect(await stateOf(reader.email)).toBe('pending');
    const link = linkIn(await latestMailTo(reader.email), '/subscribe/confirm');
    expect((await confirmWith(link)).status).toBe(200);
    const footer = footerOf(await (await call('/', { headers: { Cookie: cookie } })).text());
    expect(footer).toContain('Subscribed');
  });

  it('refuses the one-click post without the session’s CSRF token, or signed out', async () => {
    const reader = await createUser({ role: 'reader' });
    const cookie = await browserSignIn(reader);
    expect((await call('/subscribe/account', formPost({ subscribe: 'true' }, { cookie }))).status).toBe(403);
    expect((await call('/subscribe/account', formPost({ subscribe: 'true' }))).status).toBe(401);
    expect(await stateOf(reader.email)).toBe('none');
  });
});

/** The page's footer, where the subscribe slot is. */
function footerOf(html: string): string {
  const start = html.indexOf('<footer');
  expect(start).toBeGreaterThan(0);
  return html.slice(start);
}

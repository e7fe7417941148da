// The subscription pages: /subscribe (the form, and where the form on every page posts), /subscribe/confirm (the
// mailed double opt-in link) and /subscribe/unsubscribe (the signed link every newsletter carries, RFC 8058).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import { ACCOUNT_TOKEN_PATTERN } from '../../lib/auth/account-tokens';
import { safeNextPath } from '../../lib/auth/web-session';
import {
  confirmSubscription,
  requestSubscription,
  subscribeAccount,
  SUBSCRIBE_REQUESTED,
  unsubscribeAccount,
  unsubscribeWithLink,
} from '../../lib/newsletter/subscribers';
import { readUserProfile } from '../../lib/users';
import { SUBSCRIBER_UNSUBSCRIBE_PATH } from '../../lib/newsletter/unsubscribe';
import { SubscribeBody } from '../../lib/schemas/subscriber';
import { readSettings } from '../../lib/settings';
import { readTags } from '../../lib/tags';
import { clientInfo } from '../auth/client';
import { requireSignedIn, signedInSession } from '../auth/session';
import { formTextFields } from '../form';
import { LinkId, unsubscribeLinkQuery } from '../mailed-link';
import {
  AccountSubscriptionPage,
  ConfirmSubscriptionPage,
  SubscribeLinkFailedPage,
  SubscribePage,
  SubscribeRequestedPage,
  SubscriberUnsubscribedPage,
  SubscriberUnsubscribePage,
  SubscriptionConfirmedPage,
  TAG_FIELD_PREFIX,
} from '../pages/views/subscribe';

/** An expected refusal (a limit, mail down, a used link) is shown on the page; anything else is a real error. */
function refusal(c: Context<AppEnv>, error: unknown): AppError {
  const appError = error instanceof AppError ? error : fromDatabaseError(error);
  if (!appError || (appError.status >= 500 && appError.code !== 'unavailable')) throw error;
  for (const [name, value] of Object.entries(appError.extra.headers ?? {})) c.header(name, value);
  return appError;
}

const INCOMPLETE_LINK = 'This confirmation link is incomplete. Use the whole link from the email, or subscribe again.';

const UnsubscribeQuery = z.object({ subscriber: LinkId, sig: z.string().min(1).max(100) });

/** The site settings and the tags worth following (those on published posts), read side by side. */
async function formContext(c: Context<AppEnv>) {
  const [site, tags] = await Promise.all([readSettings(c.var.deps), readTags(c.var.deps)]);
  return { site, tags: (tags.value ?? []).filter((tag) => tag.postCount > 0) };
}

export const subscribePages = new Hono<AppEnv>()
  .get('/subscribe', async (c) => {
    c.header('Cache-Control', 'no-store');
    const { site, tags } = await formContext(c);
    return c.html(<SubscribePage site={site} tags={tags} />);
  })
  // The form on every page posts here. Those pages are shared in the edge cache (one document for every visitor), so
  // the form cannot carry a per-visitor CSRF token; the Origin / Sec-Fetch-Site check (hono/csrf, formCsrf in
  // functions/auth/session.ts) that runs before every form post is what refuses other sites' posts. A forged post
  // could only mail a confirmation link anyway: nobody is subscribed until the address's owner opens it.
  .post('/subscribe', async (c) => {
    const fields = await formTextFields(c);
    c.header('Cache-Control', 'no-store');
    const email = fields.email ?? '';
    const ticked = Object.keys(fields)
      .filter((name) => name.startsWith(TAG_FIELD_PREFIX))
      .map((name) => name.slice(TAG_FIELD_PREFIX.length));
    const parsed = SubscribeBody.safeParse({ email: email.trim(), tags: ticked });
    if (!parsed.success) {
      const { site, tags } = await formContext(c);
      const badEmail = parsed.error.issues.some((issue) => issue.path[0] === 'email');
      const state = badEmail
        ? { email, tags: ticked, fieldError: 'Enter an email address, like ada@example.com.' }
        : { email, tags: ticked, error: 'Choose at most 20 of the tags shown, or none for every post.' };
      return c.html(<SubscribePage site={site} tags={tags} state={state} />, 422);
    }
    try {
      await requestSubscription(c.var.deps, parsed.data, clientInfo(c).ip);
    } catch (error) {
      const appError = refusal(c, error);
      const { site, tags } = await formContext(c);
      return c.html(
        <SubscribePage site={site} tags={tags} state={{ email, tags: ticked, error: appError.message }} />,
        appError.status as 429,
      );
    }
    return c.html(<SubscribeRequestedPage site={await readSettings(c.var.deps)} message={SUBSCRIBE_REQUESTED} />);
  })
  // A signed-in reader's one click (the footer's button), on their own address, with their session's CSRF token.
  .post('/subscribe/account', requireSignedIn('reader'), async (c) => {
    const { user } = await signedInSession(c);
    const fields = await formTextFields(c);
    const next = safeNextPath(fields.next);
    c.header('Cache-Control', 'no-store');
    const [profile, site] = await Promise.all([readUserProfile(c.var.deps, user.id), readSettings(c.var.deps)]);
    if (!profile) throw new AppError('unauthorized', 'The account no longer exists.');
    if (fields.subscribe === 'false') {
      await unsubscribeAccount(c.var.deps, profile.email);
      return c.html(<AccountSubscriptionPage site={site} state="none" email={profile.email} next={next} />);
    }
    if (fields.subscribe !== 'true') throw new AppError('bad_request', 'Choose to subscribe or to unsubscribe.');
    try {
      const state = await subscribeAccount(c.var.deps, profile, clientInfo(c).ip);
      return c.html(<AccountSubscriptionPage site={site} state={state} email={profile.email} next={next} />);
    } catch (error) {
      const appError = refusal(c, error);
      return c.html(
        <AccountSubscriptionPage site={site} state="none" email={profile.email} next={next} error={appError.message} />,
        appError.status as 429,
      );
    }
  })
  // The link only shows a button (ConfirmSubscriptionPage says why); the token is checked when it is pressed.
  .get('/subscribe/confirm', async (c) => {
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    const token = c.req.query('token') ?? '';
    if (!ACCOUNT_TOKEN_PATTERN.test(token)) {
      return c.html(<SubscribeLinkFailedPage site={site} message={INCOMPLETE_LINK} />, 400);
    }
    return c.html(<ConfirmSubscriptionPage site={site} token={token} />);
  })
  .post('/subscribe/confirm', async (c) => {
    const fields = await formTextFields(c);
    c.header('Cache-Control', 'no-store');
    try {
      const subscriber = await confirmSubscription(c.var.deps, fields.token ?? '');
      return c.html(<SubscriptionConfirmedPage site={await readSettings(c.var.deps)} email={subscriber.email} />);
    } catch (error) {
      const appError = refusal(c, error);
      return c.html(
        <SubscribeLinkFailedPage site={await readSettings(c.var.deps)} message={appError.message} />,
        appError.status as 400,
      );
    }
  })
  .get(SUBSCRIBER_UNSUBSCRIBE_PATH, async (c) => {
    unsubscribeLinkQuery(c, UnsubscribeQuery);
    c.header('Cache-Control', 'no-store');
    const here = new URL(c.req.url);
    return c.html(
      <SubscriberUnsubscribePage site={await readSettings(c.var.deps)} action={here.pathname + here.search} />,
    );
  })
  // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` here, with no cookie and no Origin, so this route
  // skips the Origin check (SIGNED_LINK_POSTS in functions/auth/session.ts); the signed link is its proof. The body
  // is not read: the query says everything.
  .post(SUBSCRIBER_UNSUBSCRIBE_PATH, async (c) => {
    const { subscriber, sig } = unsubscribeLinkQuery(c, UnsubscribeQuery);
    await unsubscribeWithLink(c.var.deps, { subscriberId: subscriber, signature: sig });
    c.header('Cache-Control', 'no-store');
    return c.html(<SubscriberUnsubscribedPage site={await readSettings(c.var.deps)} />);
  });

// The subscription pages: /subscribe (the form, and where the form on every page posts), /subscribe/confirm (the
// mailed double opt-in link) and /subscribe/unsubscribe (the signed link every newsletter carries, RFC 8058).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import {
  confirmSubscription,
  requestSubscription,
  SUBSCRIBE_REQUESTED,
  unsubscribeWithLink,
} from '../../lib/newsletter/subscribers';
import { SUBSCRIBER_UNSUBSCRIBE_PATH } from '../../lib/newsletter/unsubscribe';
import { SubscribeBody } from '../../lib/schemas/subscriber';
import { readSettings } from '../../lib/settings';
import { clientInfo } from '../auth/client';
import { formTextFields } from '../form';
import {
  SubscribeLinkFailedPage,
  SubscribePage,
  SubscribeRequestedPage,
  SubscriberUnsubscribedPage,
  SubscriberUnsubscribePage,
  SubscriptionConfirmedPage,
} from '../pages/views/subscribe';

/** An expected refusal (a limit, mail down, a used link) is shown on the page; anything else is a real error. */
function refusal(c: Context<AppEnv>, error: unknown): AppError {
  const appError = error instanceof AppError ? error : fromDatabaseError(error);
  if (!appError || (appError.status >= 500 && appError.code !== 'unavailable')) throw error;
  for (const [name, value] of Object.entries(appError.extra.headers ?? {})) c.header(name, value);
  return appError;
}

const UnsubscribeQuery = z.object({
  subscriber: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  sig: z.string().min(1).max(100),
});

function unsubscribeQuery(c: Context<AppEnv>) {
  const parsed = UnsubscribeQuery.safeParse(c.req.query());
  if (!parsed.success) {
    throw new AppError('bad_request', 'This unsubscribe link is incomplete. Use the whole link from the email.');
  }
  return parsed.data;
}

export const subscribePages = new Hono<AppEnv>()
  .get('/subscribe', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(<SubscribePage site={await readSettings(c.var.deps)} />);
  })
  // The form on every page posts here. Those pages are shared in the edge cache (one document for every visitor), so
  // the form cannot carry a per-visitor CSRF token; the Origin / Sec-Fetch-Site check (hono/csrf, formCsrf in
  // functions/auth/session.ts) that runs before every form post is what refuses other sites' posts. A forged post
  // could only mail a confirmation link anyway: nobody is subscribed until the address's owner opens it.
  .post('/subscribe', async (c) => {
    const fields = await formTextFields(c);
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    const email = fields.email ?? '';
    const parsed = SubscribeBody.safeParse({ email: email.trim() });
    if (!parsed.success) {
      return c.html(
        <SubscribePage site={site} state={{ email, fieldError: 'Enter an email address, like ada@example.com.' }} />,
        422,
      );
    }
    try {
      await requestSubscription(c.var.deps, parsed.data, clientInfo(c).ip);
    } catch (error) {
      const appError = refusal(c, error);
      return c.html(<SubscribePage site={site} state={{ email, error: appError.message }} />, appError.status as 429);
    }
    return c.html(<SubscribeRequestedPage site={site} message={SUBSCRIBE_REQUESTED} />);
  })
  .get('/subscribe/confirm', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      const subscriber = await confirmSubscription(c.var.deps, c.req.query('token') ?? '');
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
    unsubscribeQuery(c);
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
    const { subscriber, sig } = unsubscribeQuery(c);
    await unsubscribeWithLink(c.var.deps, { subscriberId: subscriber, signature: sig });
    c.header('Cache-Control', 'no-store');
    return c.html(<SubscriberUnsubscribedPage site={await readSettings(c.var.deps)} />);
  });

// Email subscriptions: double opt-in sign-ups (the form, the API, a signed-in reader's one click), the mailed link
// that confirms them, unsubscribing by the signed link, and forgetting addresses that never confirm. Only a SHA-256
// of each confirmation token is stored (lib/auth/account-tokens.ts), as for every mailed link.
import { ACCOUNT_TOKEN_PATTERN, hashAccountToken, newAccountToken } from '../auth/account-tokens';
import { accountKey, enforceRateLimits } from '../auth/rate-limit';
import { timed, type Deps } from '../context';
import {
  confirmSubscriberWithToken,
  deleteSubscriber,
  deleteSubscriberByEmail,
  deleteUnconfirmedSubscribers,
  getSubscriberByEmail,
  upsertConfirmedSubscriber,
  upsertPendingSubscriber,
  type SubscriberRecord,
} from '../db/subscribers';
import { AppError } from '../errors';
import { sendMailOrFail } from '../mail/send';
import { mailSiteFor, siteLink } from '../mail/site';
import { alreadySubscribedMail, confirmSubscriptionMail } from '../mail/templates/subscription';
import { subscriberSignatureMatches, subscriberUnsubscribeLink } from './unsubscribe';

export type { SubscriberRecord };

/** Where the mailed double opt-in link leads. */
export const SUBSCRIBE_CONFIRM_PATH = '/subscribe/confirm';

/** A confirmation link works for a week; an address still unconfirmed then is deleted by the cron. */
export const PENDING_SUBSCRIBER_SECONDS = 7 * 86_400;

/** What every sign-up is told, whatever the address's state: nothing here says who subscribes. */
export const SUBSCRIBE_REQUESTED =
  'We sent a message to that address. Open the link in it to confirm your subscription (it works for 7 days).';

/** Pure: the tags a subscriber follows, deduplicated and sorted (empty: every post). */
function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}

/**
 * Rate limits (per IP, per address) → one statement that records the sign-up → one mail, sent before answering so a
 * failure is seen (503). A pending address gets a fresh link; a confirmed one a note that it already is subscribed,
 * with its unsubscribe link, so the answer and the mail's arrival are the same for every address.
 */
export async function requestSubscription(
  deps: Deps,
  input: { email: string; tags?: readonly string[]; userId?: number | null },
  ip: string,
): Promise<void> {
  await enforceRateLimits(deps, [
    { rule: 'subscribePerIp', identifier: ip },
    { rule: 'subscribePerAddress', identifier: await accountKey(input.email) },
  ]);
  const { token, tokenHash } = await newAccountToken();
  const tags = normaliseTags(input.tags ?? []);
  const subscriber = await timed(deps, 'db', () =>
    upsertPendingSubscriber(deps.sql, {
      email: input.email,
      tags,
      tokenHash,
      userId: input.userId ?? null,
    }),
  );
  const site = await mailSiteFor(deps);
  const mail = subscriber.confirmed
    ? alreadySubscribedMail({ site, unsubscribeLink: await subscriberUnsubscribeLink(deps.config, subscriber.id) })
    : confirmSubscriptionMail({
        site,
        link: siteLink(deps.config, SUBSCRIBE_CONFIRM_PATH, { token }),
        days: PENDING_SUBSCRIBER_SECONDS / 86_400,
        tags,
      });
  await sendMailOrFail(
    deps,
    { ...mail, to: input.email, siteName: site.name },
    'The email to confirm your subscription',
  );
}

const invalidLink = () =>
  new AppError(
    'bad_request',
    'This confirmation link is invalid, has expired or was already used. Subscribe again to get a new one.',
  );

/** Uses a mailed confirmation token; throws a 400 for a bad, used or expired one. */
export async function confirmSubscription(deps: Deps, token: string): Promise<SubscriberRecord> {
  if (!ACCOUNT_TOKEN_PATTERN.test(token)) throw invalidLink();
  const tokenHash = await hashAccountToken(token);
  const subscriber = await timed(deps, 'db', () =>
    confirmSubscriberWithToken(deps.sql, tokenHash, PENDING_SUBSCRIBER_SECONDS),
  );
  if (!subscriber) throw invalidLink();
  return subscriber;
}

/**
 * Unsubscribes the subscriber a signed link names: the row is deleted (nothing about them is kept). Idempotent: a
 * second click, or the mail client's one-click POST after a click in the page, succeeds again.
 */
export async function unsubscribeWithLink(
  deps: Deps,
  input: { subscriberId: number; signature: string },
): Promise<void> {
  if (!(await subscriberSignatureMatches(deps.config, input.subscriberId, input.signature))) {
    throw new AppError(
      'bad_request',
      'This unsubscribe link is incomplete or was altered. Use the link from the email.',
    );
  }
  await timed(deps, 'db', () => deleteSubscriber(deps.sql, input.subscriberId));
}

export type SubscriptionState = 'none' | 'pending' | 'confirmed';

/** Where a signed-in reader's own address stands. */
export async function subscriptionStateOf(deps: Deps, email: string): Promise<SubscriptionState> {
  const subscriber = await timed(deps, 'db', () => getSubscriberByEmail(deps.sql, email));
  return subscriber === null ? 'none' : subscriber.confirmedAt ? 'confirmed' : 'pending';
}

/**
 * A signed-in reader's one click: their account address, already proven when they confirmed it for the account, is
 * subscribed at once; an unconfirmed account address gets the double opt-in mail like anyone's.
 */
export async function subscribeAccount(
  deps: Deps,
  account: { id: number; email: string; emailVerifiedAt: string | null },
  ip: string,
): Promise<SubscriptionState> {
  if (account.emailVerifiedAt === null) {
    await requestSubscription(deps, { email: account.email, userId: account.id }, ip);
    return 'pending';
  }
  await timed(deps, 'db', () => upsertConfirmedSubscriber(deps.sql, { email: account.email, userId: account.id }));
  return 'confirmed';
}

/** A signed-in reader's "unsubscribe" for their account address; idempotent. */
export async function unsubscribeAccount(deps: Deps, email: string): Promise<void> {
  await timed(deps, 'db', () => deleteSubscriberByEmail(deps.sql, email));
}

/** The cron: addresses that never confirmed within the link's week are forgotten. */
export function forgetUnconfirmedSubscribers(deps: Deps): Promise<number> {
  return deleteUnconfirmedSubscribers(deps.sql, PENDING_SUBSCRIBER_SECONDS);
}

// Newsletter pages: the subscribe form (its own page, and the error page when the footer's form was refused), "check
// your inbox", the mailed link's outcome, and unsubscribing. Plain forms: they work without JavaScript.
import type { Tag } from '../../../lib/schemas/tag';
import type { SiteSettings } from '../../../lib/settings/schema';
import { Layout } from './layout';
import { OneButtonPage, Outcome } from './outcome';

export interface SubscribeFormState {
  email?: string;
  /** The tag slugs ticked. */
  tags?: string[];
  /** Why the address was refused (under the field). */
  fieldError?: string;
  /** Why the sign-up failed (a limit, mail down), above the form. */
  error?: string;
}

/** /subscribe: the form on a page of its own, with what went wrong last time. */
/** Prefix of the tag checkboxes' names (`tag-<slug>`): one field per tag, so the form needs no repeated names. */
export const TAG_FIELD_PREFIX = 'tag-';

export function SubscribePage({
  site,
  tags = [],
  state = {},
}: {
  site: SiteSettings;
  /** Tags a reader may follow instead of every post (the page offers them when there are any). */
  tags?: Tag[];
  state?: SubscribeFormState;
}) {
  const ticked = new Set(state.tags ?? []);
  return (
    <Layout title="Subscribe" site={site}>
      <section class="account-form">
        <h1>Subscribe by email</h1>
        {state.error ? (
          <p class="form-error" role="alert">
            {state.error}
          </p>
        ) : null}
        <p>Get new posts from {site.title} in your inbox. We mail you a link to confirm first.</p>
        <form method="post" action="/subscribe">
          <label>
            Email
            <input
              type="email"
              name="email"
              required
              autocomplete="email"
              maxlength={254}
              value={state.email ?? ''}
              aria-invalid={state.fieldError ? 'true' : undefined}
              aria-describedby={state.fieldError ? 'subscribe-email-error' : undefined}
            />
          </label>
          {state.fieldError ? (
            <p class="field-error" id="subscribe-email-error">
              {state.fieldError}
            </p>
          ) : null}
          {tags.length > 0 ? (
            <fieldset class="subscribe-tags">
              <legend>Only posts with these tags (none ticked: every post)</legend>
              {tags.map((tag) => (
                <label>
                  <input type="checkbox" name={`${TAG_FIELD_PREFIX}${tag.slug}`} checked={ticked.has(tag.slug)} />{' '}
                  {tag.name}
                </label>
              ))}
            </fieldset>
          ) : null}
          <button type="submit">Subscribe</button>
        </form>
        <p class="muted">Every mail has an unsubscribe link. Unconfirmed addresses are forgotten after a week.</p>
      </section>
    </Layout>
  );
}

export function SubscribeRequestedPage({ site, message }: { site: SiteSettings; message: string }) {
  return (
    <Outcome site={site} title="Check your inbox" message={message}>
      <p class="muted">
        Nothing arrived after a few minutes? Look in the spam folder, or <a href="/subscribe">try again</a>.
      </p>
    </Outcome>
  );
}

export function SubscriptionConfirmedPage({ site, email }: { site: SiteSettings; email: string }) {
  return (
    <Outcome site={site} title="You are subscribed" message={`New posts will be mailed to ${email}.`}>
      <p>
        <a href="/">Go to the blog</a>
      </p>
    </Outcome>
  );
}

export function SubscribeLinkFailedPage({ site, message }: { site: SiteSettings; message: string }) {
  return (
    <Outcome site={site} title="This link no longer works" message={message} failed>
      <p>
        <a href="/subscribe">Subscribe again</a>
      </p>
    </Outcome>
  );
}

/**
 * Opening the mailed link shows this; only the button confirms. Mail scanners open every link in a message, and one
 * that confirmed on GET would subscribe whoever typed the address in, which double opt-in exists to prevent.
 */
export function ConfirmSubscriptionPage({ site, token }: { site: SiteSettings; token: string }) {
  return (
    <OneButtonPage
      site={site}
      title="Confirm your subscription"
      question={`Get new posts from ${site.title} by email?`}
      action="/subscribe/confirm"
      fields={{ token }}
      button="Confirm subscription"
    />
  );
}

/** Opening the link shows this; only the button (or a mail client's one-click POST) unsubscribes. */
export function SubscriberUnsubscribePage({ site, action }: { site: SiteSettings; action: string }) {
  return (
    <OneButtonPage
      site={site}
      title="Unsubscribe"
      question={`Stop getting new posts from ${site.title} by email?`}
      action={action}
      fields={{ 'List-Unsubscribe': 'One-Click' }}
      button="Unsubscribe"
    />
  );
}

export function SubscriberUnsubscribedPage({ site }: { site: SiteSettings }) {
  return (
    <Outcome site={site} title="Unsubscribed" message="You will get no more posts by email. Your address is deleted.">
      <p>
        Changed your mind? <a href="/subscribe">Subscribe again</a>.
      </p>
    </Outcome>
  );
}

const ACCOUNT_MESSAGES = {
  confirmed: (email: string) => `New posts will be mailed to ${email}.`,
  pending: (email: string) => `We sent a link to ${email}: open it to confirm your subscription.`,
  none: (email: string) => `New posts are no longer mailed to ${email}.`,
};

/** After a signed-in reader's one click: where their address stands now (or why nothing changed). */
export function AccountSubscriptionPage({
  site,
  state,
  email,
  next,
  error,
}: {
  site: SiteSettings;
  state: 'none' | 'pending' | 'confirmed';
  email: string;
  next: string;
  error?: string;
}) {
  const title = error
    ? 'Not subscribed'
    : state === 'confirmed'
      ? 'You are subscribed'
      : state === 'pending'
        ? 'Check your inbox'
        : 'Unsubscribed';
  return (
    <Outcome site={site} title={title} message={error ?? ACCOUNT_MESSAGES[state](email)} failed={Boolean(error)}>
      <p>
        <a href={next}>Continue</a>
      </p>
    </Outcome>
  );
}

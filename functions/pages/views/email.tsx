// Pages behind mailed links: confirming an address, confirming a new one, and unsubscribing from notifications.
import type { NotificationKind } from '../../../lib/notifications';
import type { SiteSettings } from '../../../lib/settings/schema';
import { OneButtonPage, Outcome } from './outcome';
import { CsrfField } from './viewer-parts';

export function AddressStatusPage({
  site,
  email,
  verified,
  sent,
  error,
  next,
  csrfToken,
}: {
  site: SiteSettings;
  email: string;
  verified: boolean;
  /** The mail just went out (true), could not be sent (false), or nothing was sent now (undefined). */
  sent?: boolean;
  error?: string;
  next: string;
  csrfToken: string;
}) {
  const message = error
    ? error
    : verified
      ? `Your address ${email} is confirmed.`
      : sent === true
        ? `We sent a link to ${email}. Open it to confirm your address.`
        : sent === false
          ? `We could not send the email to confirm ${email} just now. Try again in a few minutes.`
          : `Your address ${email} is not confirmed yet.`;
  return (
    <Outcome site={site} title="Confirm your address" message={message} failed={Boolean(error) || sent === false}>
      {verified ? null : (
        <form method="post" action="/verify-email">
          <CsrfField token={csrfToken} />
          <input type="hidden" name="next" value={next} />
          <button type="submit">Send the link again</button>
        </form>
      )}
      <p>
        <a href={next}>Continue</a>
      </p>
    </Outcome>
  );
}

export function AddressConfirmedPage({ site, email }: { site: SiteSettings; email?: string }) {
  return (
    <Outcome
      site={site}
      title="Address confirmed"
      message={email ? `Your account now uses ${email}.` : 'Thank you: your address is confirmed.'}
    >
      <p>
        <a href="/">Go to the blog</a>
      </p>
    </Outcome>
  );
}

export function MailLinkFailedPage({
  site,
  title,
  message,
  status,
}: {
  site: SiteSettings;
  title: string;
  message: string;
  status: number;
}) {
  return (
    <Outcome site={site} title={title} message={message} failed>
      <p>{status === 409 ? null : <a href="/admin/profile">Ask for a new link from your profile</a>}</p>
    </Outcome>
  );
}

const KIND_TEXT: Record<NotificationKind, string> = {
  comments: 'mails about new comments on your posts',
  replies: 'mails about replies to your comments',
};

/** Opening the link shows this; only the button (or a mail client's one-click POST) unsubscribes. */
export function UnsubscribePage({
  site,
  kind,
  action,
}: {
  site: SiteSettings;
  kind: NotificationKind;
  action: string;
}) {
  return (
    <OneButtonPage
      site={site}
      title="Unsubscribe"
      question={`Stop ${KIND_TEXT[kind]}?`}
      action={action}
      fields={{ 'List-Unsubscribe': 'One-Click' }}
      button="Unsubscribe"
    />
  );
}

export function UnsubscribedPage({ site, kind }: { site: SiteSettings; kind: NotificationKind }) {
  return (
    <Outcome site={site} title="Unsubscribed" message={`You will get no more ${KIND_TEXT[kind]}.`}>
      <p>
        Changed your mind? Turn them on again in <a href="/admin/profile">your profile</a>.
      </p>
    </Outcome>
  );
}

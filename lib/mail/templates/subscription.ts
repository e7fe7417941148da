// Newsletter sign-up mail: the double opt-in link, and what an address that is already subscribed gets instead (the
// same kind of message either way, so the form says nothing about who subscribes).
import { oneClickUnsubscribeHeaders } from '../unsubscribe';
import { renderMail, type MailSite, type RenderedMail } from '../layout';

export function confirmSubscriptionMail({
  site,
  link,
  days,
  tags,
}: {
  site: MailSite;
  link: string;
  days: number;
  /** Tag slugs followed (the subscriber sees what they confirm); empty: every post. */
  tags: string[];
}): RenderedMail {
  const what = tags.length > 0 ? `new posts tagged ${tags.join(', ')}` : 'new posts';
  return renderMail({
    site,
    subject: `Confirm your subscription to ${site.name}`,
    blocks: [
      { kind: 'paragraph', text: `Someone (we hope you) asked to get ${what} from ${site.name} by email.` },
      { kind: 'action', label: 'Yes, subscribe me', url: link },
      { kind: 'paragraph', text: `The link works once, for ${days} days. Every mail we send has an unsubscribe link.` },
    ],
    footer: [
      {
        kind: 'paragraph',
        text: 'If you did not ask for this, ignore this message: you will not be subscribed, and we forget the address.',
      },
    ],
  });
}

export function alreadySubscribedMail({
  site,
  unsubscribeLink,
}: {
  site: MailSite;
  unsubscribeLink: string;
}): RenderedMail {
  return renderMail({
    site,
    subject: `You are subscribed to ${site.name}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `Someone (we hope you) asked to subscribe this address to ${site.name}. It already is: nothing changed, and new posts keep coming.`,
      },
    ],
    footer: [
      { kind: 'paragraph', text: 'No longer want them? Unsubscribe in one click:' },
      { kind: 'action', label: 'Unsubscribe', url: unsubscribeLink },
    ],
    headers: oneClickUnsubscribeHeaders(unsubscribeLink),
  });
}

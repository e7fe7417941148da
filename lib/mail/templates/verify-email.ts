// Confirming an address: at sign-up, when asked again, and when someone changes their address (to the new one);
// plus the notice the old address gets about a change, so a hijacked account does not change hands silently.
import { renderMail, type MailSite, type RenderedMail } from '../layout';

export function verifyEmailMail({ site, link, name }: { site: MailSite; link: string; name: string }): RenderedMail {
  return renderMail({
    site,
    subject: `Confirm your address for ${site.name}`,
    blocks: [
      { kind: 'paragraph', text: `Hello ${name}, please confirm that this address is yours.` },
      { kind: 'action', label: 'Confirm my address', url: link },
      { kind: 'paragraph', text: 'The link works once, for 7 days.' },
    ],
    footer: [{ kind: 'paragraph', text: `If you did not sign up for ${site.name}, ignore this message.` }],
  });
}

export function confirmNewEmailMail({
  site,
  link,
  name,
  hours,
}: {
  site: MailSite;
  link: string;
  name: string;
  hours: number;
}): RenderedMail {
  return renderMail({
    site,
    subject: `Confirm your new address for ${site.name}`,
    blocks: [
      { kind: 'paragraph', text: `Hello ${name}, you asked to use this address for your ${site.name} account.` },
      { kind: 'action', label: 'Use this address', url: link },
      { kind: 'paragraph', text: `The link works once, for ${hours} hours. Until then, your old address stays.` },
    ],
    footer: [{ kind: 'paragraph', text: 'If you did not ask for this, ignore this message: nothing changes.' }],
  });
}

export function emailChangeNoticeMail({
  site,
  name,
  newEmail,
  resetLink,
}: {
  site: MailSite;
  name: string;
  newEmail: string;
  resetLink: string;
}): RenderedMail {
  return renderMail({
    site,
    subject: `Your ${site.name} address is about to change`,
    blocks: [
      {
        kind: 'paragraph',
        text: `Hello ${name}, someone signed in to your ${site.name} account asked to change its address to ${newEmail}. The change happens once that address confirms it.`,
      },
      {
        kind: 'paragraph',
        text: 'If that was not you, choose a new password now: it signs everyone out, and the pending change stays unconfirmed unless someone opens the link sent to the new address.',
      },
      { kind: 'action', label: 'Reset my password', url: resetLink },
    ],
    footer: [{ kind: 'paragraph', text: 'If it was you, there is nothing to do.' }],
  });
}

// The password-reset message: a single-use link, valid for an hour. An address with no account gets a message too
// (saying so), so asking for a reset behaves the same whether or not the address is registered.
import { renderMail, type MailSite, type RenderedMail } from '../layout';

export function passwordResetMail({
  site,
  link,
  minutes,
}: {
  site: MailSite;
  link: string;
  minutes: number;
}): RenderedMail {
  return renderMail({
    site,
    subject: `Reset your ${site.name} password`,
    blocks: [
      { kind: 'paragraph', text: `Someone (we hope you) asked to reset the password of your ${site.name} account.` },
      { kind: 'action', label: 'Choose a new password', url: link },
      {
        kind: 'paragraph',
        text: `The link works once, for ${minutes} minutes. Choosing a new password signs you out everywhere.`,
      },
    ],
    footer: [
      { kind: 'paragraph', text: 'If you did not ask for this, ignore this message: your password stays as it is.' },
    ],
  });
}

export function passwordResetNoAccountMail({ site, signUpLink }: { site: MailSite; signUpLink: string }): RenderedMail {
  return renderMail({
    site,
    subject: `Reset your ${site.name} password`,
    blocks: [
      {
        kind: 'paragraph',
        text: `Someone (we hope you) asked to reset the password of a ${site.name} account with this address, but no account uses it.`,
      },
      { kind: 'paragraph', text: 'Perhaps you signed up with another address? Or create an account:' },
      { kind: 'action', label: 'Create an account', url: signUpLink },
    ],
    footer: [{ kind: 'paragraph', text: 'If you did not ask for this, ignore this message.' }],
  });
}

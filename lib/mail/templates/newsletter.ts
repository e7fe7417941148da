// A post mailed to subscribers: its title, its excerpt and a link to read it on the blog, with a visible unsubscribe
// link and the RFC 8058 one-click headers. Rendered once per post with a stand-in for the unsubscribe link, then
// personalized per subscriber by substitution: a fan-out of thousands renders the template once, not thousands
// of times.
import { escapeHtml, renderMail, type MailSite, type RenderedMail } from '../layout';
import { oneClickUnsubscribeHeaders } from '../unsubscribe';

export interface NewsletterIssue {
  site: MailSite;
  postTitle: string;
  excerpt: string;
  postLink: string;
}

// Never a real address, and nothing in it that HTML escaping would change, so it is found as is in both parts.
const UNSUBSCRIBE_SLOT = 'https://unsubscribe.invalid/lembas-subscriber-link';

/** The post's mail with a placeholder where each subscriber's own unsubscribe link goes. */
export function newsletterMail(issue: NewsletterIssue): RenderedMail {
  return renderMail({
    site: issue.site,
    subject: issue.postTitle,
    blocks: [
      { kind: 'paragraph', text: `New on ${issue.site.name}:` },
      { kind: 'heading', text: issue.postTitle },
      ...(issue.excerpt ? [{ kind: 'paragraph' as const, text: issue.excerpt }] : []),
      { kind: 'action', label: 'Read it on the blog', url: issue.postLink },
    ],
    footer: [
      { kind: 'paragraph', text: `You get this because you subscribed to ${issue.site.name} by email.` },
      { kind: 'action', label: 'Unsubscribe', url: UNSUBSCRIBE_SLOT },
    ],
  });
}

/** One subscriber's copy: their unsubscribe link in the body and in List-Unsubscribe / List-Unsubscribe-Post. */
export function personalizeNewsletter(mail: RenderedMail, unsubscribeLink: string): RenderedMail {
  return {
    subject: mail.subject,
    html: mail.html.replaceAll(UNSUBSCRIBE_SLOT, escapeHtml(unsubscribeLink)),
    text: mail.text.replaceAll(UNSUBSCRIBE_SLOT, unsubscribeLink),
    headers: { ...oneClickUnsubscribeHeaders(unsubscribeLink), Precedence: 'bulk' },
  };
}

// Notifications about others' comments: to a post's author when a reader comments, and to a commenter when someone
// replies to them. Each names the post, quotes the comment, links to it, and carries a one-click unsubscribe.
import { oneClickUnsubscribeHeaders } from '../unsubscribe';
import { renderMail, type MailSite, type RenderedMail } from '../layout';

export interface CommentNotice {
  site: MailSite;
  recipientName: string;
  commenterName: string;
  postTitle: string;
  /** The comment's text as written (markdown): quoted, never rendered. */
  commentText: string;
  commentLink: string;
  unsubscribeLink: string;
}

/** Long comments are cut: the mail points to the thread, it does not replace it. */
const QUOTE_MAX = 1_000;

function quoteOf(text: string): string {
  return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX).trimEnd()}…` : text;
}

function notice(subject: string, lead: string, stop: string, input: CommentNotice): RenderedMail {
  return renderMail({
    site: input.site,
    subject,
    blocks: [
      { kind: 'paragraph', text: `Hello ${input.recipientName}, ${lead}` },
      { kind: 'quote', text: quoteOf(input.commentText) },
      { kind: 'action', label: 'Read it on the site', url: input.commentLink },
    ],
    footer: [
      { kind: 'paragraph', text: stop },
      { kind: 'action', label: 'Unsubscribe', url: input.unsubscribeLink },
    ],
    headers: { ...oneClickUnsubscribeHeaders(input.unsubscribeLink), 'Auto-Submitted': 'auto-generated' },
  });
}

export function newCommentMail(input: CommentNotice): RenderedMail {
  return notice(
    `${input.commenterName} commented on “${input.postTitle}”`,
    `${input.commenterName} commented on your post “${input.postTitle}”:`,
    'You get this because you wrote the post. Stop these mails about comments on your posts:',
    input,
  );
}

export function replyMail(input: CommentNotice): RenderedMail {
  return notice(
    `${input.commenterName} replied to you on “${input.postTitle}”`,
    `${input.commenterName} replied to your comment on “${input.postTitle}”:`,
    'You get this because you commented there. Stop these mails about replies to your comments:',
    input,
  );
}

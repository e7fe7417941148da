// Mail about others' comments: a post's author hears of a new comment, a commenter of a reply to them. Sent after
// the response (the commenter does not wait for it) and never shown as a failure to the commenter; each mail can be
// turned off with one click, without signing in (lib/mail/unsubscribe.ts).
import { timed, type Deps } from './context';
import type { Config } from './env';
import {
  getCommentNotificationContext,
  turnOffNotifications,
  type NotificationKind,
  type NotificationRecipient,
} from './db/notifications';
import { AppError } from './errors';
import { sendMail } from './mail/send';
import { mailSiteFor, siteLink } from './mail/site';
import { newCommentMail, replyMail } from './mail/templates/comment-notification';
import { signUnsubscribe, unsubscribeSignatureMatches } from './mail/unsubscribe';
import { invalidateUserProfile } from './users';

export type { NotificationKind };
export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['comments', 'replies'];

/** The page (and one-click POST target) that turns a kind of mail off: /unsubscribe?user=…&kind=…&sig=… */
export const UNSUBSCRIBE_PATH = '/unsubscribe';

const subjectOf = (userId: number, kind: NotificationKind) => `user:${userId}:${kind}`;

export async function unsubscribeLink(config: Config, userId: number, kind: NotificationKind): Promise<string> {
  const sig = await signUnsubscribe(config.JWT_SECRET, subjectOf(userId, kind));
  return siteLink(config, UNSUBSCRIBE_PATH, { user: String(userId), kind, sig });
}

async function mailFor(deps: Deps, recipient: NotificationRecipient, context: CommentContext): Promise<void> {
  const input = {
    site: await mailSiteFor(deps),
    recipientName: recipient.displayName,
    commenterName: context.authorName,
    postTitle: context.postTitle,
    commentText: context.markdown,
    commentLink: siteLink(deps.config, `/posts/${context.postSlug}`) + `#comment-${context.commentId}`,
    unsubscribeLink: await unsubscribeLink(deps.config, recipient.userId, recipient.kind),
  };
  const mail = recipient.kind === 'replies' ? replyMail(input) : newCommentMail(input);
  await sendMail(deps, { ...mail, to: recipient.email, siteName: input.site.name });
}

type CommentContext = NonNullable<Awaited<ReturnType<typeof getCommentNotificationContext>>>;

/** Looks up who wants to hear about the comment (one query) and mails them; failures are logged, never thrown. */
export async function sendCommentNotifications(deps: Deps, commentId: number): Promise<void> {
  const context = await timed(deps, 'db', () => getCommentNotificationContext(deps.sql, commentId));
  if (!context) return;
  const results = await Promise.allSettled(context.recipients.map((recipient) => mailFor(deps, recipient, context)));
  for (const result of results) {
    if (result.status === 'rejected')
      deps.cache.log?.(`comment notification not sent (comment ${commentId})`, result.reason);
  }
}

/** Schedules the notifications after the response. */
export function notifyAboutComment(deps: Deps, commentId: number): void {
  deps.cache.waitUntil(
    sendCommentNotifications(deps, commentId).catch((error: unknown) =>
      deps.cache.log?.(`comment notifications failed (comment ${commentId})`, error),
    ),
  );
}

/**
 * Turns a kind of notification off for the user the signed link names. Idempotent: a second click (or the mail
 * client's one-click POST after a click in the page) changes nothing and succeeds again.
 */
export async function unsubscribe(
  deps: Deps,
  input: { userId: number; kind: NotificationKind; signature: string },
): Promise<void> {
  const valid = await unsubscribeSignatureMatches(
    deps.config.JWT_SECRET,
    subjectOf(input.userId, input.kind),
    input.signature,
  );
  if (!valid)
    throw new AppError(
      'bad_request',
      'This unsubscribe link is incomplete or was altered. Use the link from the email.',
    );
  const found = await timed(deps, 'db', () => turnOffNotifications(deps.sql, input.userId, input.kind));
  // A deleted account gets no mail anyway: the same answer as a success, nothing to undo.
  if (found) await invalidateUserProfile(deps, input.userId);
}

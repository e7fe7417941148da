// SQL for comment notifications: who should hear about a new comment, and turning a kind of mail off.
import type { Sql } from '../clients';

export type NotificationKind = 'comments' | 'replies';

export interface NotificationRecipient {
  userId: number;
  email: string;
  displayName: string;
  kind: NotificationKind;
}

export interface CommentNotificationContext {
  commentId: number;
  authorId: number | null;
  authorName: string;
  markdown: string;
  postTitle: string;
  postSlug: string;
  /** The post's author (kind `comments`) and the replied-to commenter (kind `replies`), each only if they want it. */
  recipients: NotificationRecipient[];
}

/**
 * One statement: the comment, its post, the post's author and, for a reply, the parent comment's author, with each
 * one's wish to be mailed. Nobody is told about their own comment, and a disabled account is told nothing.
 */
export async function getCommentNotificationContext(
  sql: Sql,
  commentId: number,
): Promise<CommentNotificationContext | null> {
  const rows = await sql`
    SELECT c.id, c.author_id, c.author_name, c.body_md, p.title, p.slug,
           pa.id AS post_author_id, pa.email AS post_author_email, pa.display_name AS post_author_name,
           (pa.notify_comments AND NOT pa.disabled) AS post_author_wants,
           qa.id AS parent_author_id, qa.email AS parent_author_email, qa.display_name AS parent_author_name,
           (qa.notify_replies AND NOT qa.disabled AND q.status = 'published') AS parent_author_wants
    FROM comments c
    JOIN posts p ON p.id = c.post_id
    JOIN users pa ON pa.id = p.author_id
    LEFT JOIN comments q ON q.id = c.parent_id
    LEFT JOIN users qa ON qa.id = q.author_id
    WHERE c.id = ${commentId}`;
  const row = rows[0];
  if (!row) return null;
  const authorId = row.author_id === null ? null : Number(row.author_id);
  const recipients: NotificationRecipient[] = [];
  const parentAuthorId = row.parent_author_id === null ? null : Number(row.parent_author_id);
  // A reply to the post's author's own comment is a reply to them: one mail, the more specific one (when wanted).
  if (parentAuthorId !== null && parentAuthorId !== authorId && row.parent_author_wants) {
    recipients.push({
      userId: parentAuthorId,
      email: String(row.parent_author_email),
      displayName: String(row.parent_author_name),
      kind: 'replies',
    });
  }
  const postAuthorId = Number(row.post_author_id);
  if (postAuthorId !== authorId && !recipients.some((r) => r.userId === postAuthorId) && row.post_author_wants) {
    recipients.push({
      userId: postAuthorId,
      email: String(row.post_author_email),
      displayName: String(row.post_author_name),
      kind: 'comments',
    });
  }
  return {
    commentId: Number(row.id),
    authorId,
    authorName: String(row.author_name),
    markdown: String(row.body_md),
    postTitle: String(row.title),
    postSlug: String(row.slug),
    recipients,
  };
}

/** Turns one kind of notification off for a user; idempotent. False when no such user. */
export async function turnOffNotifications(sql: Sql, userId: number, kind: NotificationKind): Promise<boolean> {
  const rows =
    kind === 'comments'
      ? await sql`UPDATE users SET notify_comments = false WHERE id = ${userId} RETURNING id`
      : await sql`UPDATE users SET notify_replies = false WHERE id = ${userId} RETURNING id`;
  return rows.length > 0;
}

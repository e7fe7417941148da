// What happened on the blog, as webhook receivers (and IndexNow) are told: one event type per change, and a body
// in the Standard Webhooks shape `{ type, timestamp, data }`.

export const WEBHOOK_EVENTS = [
  'post.published',
  'post.updated',
  'post.unpublished',
  'post.deleted',
  'comment.created',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface PostEventData {
  id: number;
  slug: string;
  title: string;
  url: string;
  status: string;
  publishedAt: string | null;
  /** post.updated only, when the slug changed: where the post used to be. */
  previousUrl?: string;
}

export interface CommentEventData {
  id: number;
  postId: number;
  postSlug: string;
  parentId: number | null;
  authorName: string;
  markdown: string;
  url: string;
  createdAt: string;
}

export type BlogEvent =
  | { type: Exclude<WebhookEventType, 'comment.created'>; timestamp: string; data: PostEventData }
  | { type: 'comment.created'; timestamp: string; data: CommentEventData };

/** A post as it is (or was, for a deletion), seen from outside: its public address. */
export function postEvent(
  type: Exclude<WebhookEventType, 'comment.created'>,
  siteUrl: string,
  post: { id: number; slug: string; title: string; status: string; publishedAt: string | null },
  { previousSlug, now = Date.now() }: { previousSlug?: string; now?: number } = {},
): BlogEvent {
  const data: PostEventData = {
    id: post.id,
    slug: post.slug,
    title: post.title,
    url: postUrl(siteUrl, post.slug),
    status: post.status,
    publishedAt: post.publishedAt,
  };
  if (previousSlug && previousSlug !== post.slug) data.previousUrl = postUrl(siteUrl, previousSlug);
  return { type, timestamp: new Date(now).toISOString(), data };
}

/** A comment just written, as receivers see it (comments are published as they are written). */
export function commentEvent(
  siteUrl: string,
  postId: number,
  comment: {
    id: number;
    parentId: number | null;
    postSlug: string;
    markdown: string;
    createdAt: string;
    author: { displayName: string } | null;
  },
  now = Date.now(),
): BlogEvent {
  return {
    type: 'comment.created',
    timestamp: new Date(now).toISOString(),
    data: {
      id: comment.id,
      postId,
      postSlug: comment.postSlug,
      parentId: comment.parentId,
      authorName: comment.author?.displayName ?? '',
      markdown: comment.markdown,
      url: `${postUrl(siteUrl, comment.postSlug)}#comment-${comment.id}`,
      createdAt: comment.createdAt,
    },
  };
}

export function postUrl(siteUrl: string, slug: string): string {
  return new URL(`/posts/${slug}`, siteUrl).toString();
}

type PostState = { status: string } | null;

/**
 * The event a write means, from the post's state before and after it; null when the outside never saw it (a
 * draft saved, a scheduled post rescheduled). `after: null` is a deletion.
 */
export function postChangeEvent(
  before: PostState,
  after: PostState,
): Exclude<WebhookEventType, 'comment.created'> | null {
  const was = before?.status === 'published';
  const is = after?.status === 'published';
  if (!after) return was ? 'post.deleted' : null;
  if (is) return was ? 'post.updated' : 'post.published';
  return was ? 'post.unpublished' : null;
}

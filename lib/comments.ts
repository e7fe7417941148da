// Comments as readers and moderators see them: the thread through the read-through cache, and the write rules
// (who may post, edit, delete, hide; how fast; what is a duplicate). Every write drops the post's thread entry.
import { emitBlogEvents } from './jobs/enqueue';
import { commentEvent } from './webhooks/events';
import { hasRole } from './auth/roles';
import { enforceRateLimits } from './auth/rate-limit';
import { invalidateQuietly, readThrough, type CacheResult } from './cache';
import { cacheKeys } from './cache-keys';
import { enforceAddressRule } from './comment-policy';
import { timed, type Deps } from './context';
import * as db from './db/comments';
import { AppError } from './errors';
import { renderMarkdown } from './markdown';
import type { PostRef } from './db/posts';
import { notifyAboutComment } from './notifications';
import { describePostRef, findPublishedPost } from './posts';
import { readSettings, type SiteSettings } from './settings';
import { DEFAULT_THREAD_PAGE } from './schemas/comment-limits';
import type {
  Comment,
  CommentPage,
  CommentStatus,
  CreateCommentBody,
  ListCommentsQuery,
  Reply,
  SavedComment,
} from './schemas/comment';
import type { AuthUser } from './schemas/user';

/** Authors may edit or delete their own comment for this long after posting it. */
export const EDIT_WINDOW_SECONDS = 15 * 60;
/** The same text by the same reader on the same post within this window is refused as a duplicate. */
export const DUPLICATE_WINDOW_SECONDS = 24 * 3600;

const visible = (row: db.CommentRow) => row.status === 'published' && !row.authorDisabled;

function toReply(row: db.CommentRow): Reply {
  return {
    id: row.id,
    parentId: row.parentId,
    author: row.author,
    html: row.html,
    status: row.status,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
  };
}

/**
 * Pure: the thread readers see. Hidden, deleted and disabled users' comments are left out; a top-level one that
 * still has visible replies stays as an empty placeholder, so the replies keep their context.
 */
export function buildThread(rows: db.CommentRow[]): Comment[] {
  const replies = new Map<number, Reply[]>();
  for (const row of rows) {
    if (row.parentId === null || !visible(row)) continue;
    replies.set(row.parentId, [...(replies.get(row.parentId) ?? []), toReply(row)]);
  }
  const thread: Comment[] = [];
  for (const row of rows) {
    if (row.parentId !== null) continue;
    const own = replies.get(row.id) ?? [];
    if (visible(row)) thread.push({ ...toReply(row), replies: own });
    else if (own.length > 0) {
      const status: CommentStatus = row.status === 'deleted' ? 'deleted' : 'hidden';
      thread.push({ ...toReply(row), author: null, html: '', status, editedAt: null, replies: own });
    }
  }
  return thread;
}

async function loadThread(deps: Deps, postId: number, query: ListCommentsQuery): Promise<CommentPage | null> {
  // The primary, not a replica: a lagging replica could refill the entry a comment write just dropped.
  const page = await timed(deps, 'db', () => db.listThread(deps.sql, { id: postId }, query));
  return page && threadPage(page);
}

/** A thread's rows as readers see them: replies under their comments, hidden and deleted ones handled. */
export function threadPage(page: db.ThreadRows): CommentPage {
  return { items: buildThread(page.rows), nextCursor: page.nextCursor, total: page.total };
}

/** A page of a published post's thread; the default first page through the cache, others from the database. */
export async function readThread(
  deps: Deps,
  postId: number,
  query: ListCommentsQuery = { limit: DEFAULT_THREAD_PAGE },
): Promise<CacheResult<CommentPage>> {
  if (query.cursor || query.limit !== DEFAULT_THREAD_PAGE) {
    return { value: await loadThread(deps, postId, query), status: 'BYPASS' };
  }
  return timed(deps, 'comments', () =>
    readThrough(deps.cache, cacheKeys.commentThread(postId), () => loadThread(deps, postId, query)),
  );
}

function dropThread(deps: Deps, post: { id: number; slug: string }): Promise<void> {
  // The post's page shows the thread too.
  return invalidateQuietly(deps.cache, [cacheKeys.commentThread(post.id), cacheKeys.response('post', post.slug)]);
}

/** Comment write limits; `commentPace` is the "too fast" rule, the others cap volume per reader and per address. */
async function enforceCommentLimits(deps: Deps, user: AuthUser, ip: string): Promise<void> {
  try {
    await enforceRateLimits(deps, [{ rule: 'commentPace', identifier: `user:${user.id}` }]);
  } catch (error) {
    if (error instanceof AppError && error.code === 'rate_limited') {
      throw new AppError(
        'rate_limited',
        `You are commenting too fast. Wait ${String(error.extra.retryAfter)} seconds before posting again.`,
        error.extra,
      );
    }
    throw error;
  }
  await enforceRateLimits(deps, [
    { rule: 'commentsPerUser', identifier: `user:${user.id}` },
    { rule: 'commentsPerIp', identifier: ip },
  ]);
}

async function render(markdown: string): Promise<string> {
  return (await renderMarkdown(markdown, 'comment')).html;
}

function saved(row: db.CommentRow & { postSlug: string }): SavedComment {
  return { ...toReply(row), postSlug: row.postSlug, markdown: row.markdown };
}

async function mustLoad(deps: Deps, id: number): Promise<db.CommentRow & { postSlug: string }> {
  const row = await timed(deps, 'db', () => db.getComment(deps.sql, id));
  if (!row || row.status === 'deleted') throw new AppError('not_found', `There is no comment with id ${id}.`);
  return row;
}

export async function createComment(
  deps: Deps,
  user: AuthUser,
  ref: PostRef,
  body: CreateCommentBody,
  ip: string,
): Promise<SavedComment> {
  const settings = await readSettings(deps);
  assertMayComment(settings, user);
  await enforceAddressRule(deps, user);
  const [post] = await Promise.all([findPublishedPost(deps, ref), enforceCommentLimits(deps, user, ip)]);
  if (!post) throw new AppError('not_found', `No published post has ${describePostRef(ref)}.`);
  const html = await render(body.body);
  const outcome = await timed(deps, 'db', () =>
    db.insertComment(deps.sql, {
      postId: post.id,
      parentId: body.parentId ?? null,
      authorId: user.id,
      authorName: user.displayName,
      markdown: body.body,
      html,
      duplicateWindowSeconds: DUPLICATE_WINDOW_SECONDS,
      // Readers only: writers and moderators are trusted with their first comment.
      holdFirstComment: settings.firstCommentModeration && !hasRole(user, 'author'),
    }),
  );
  if (outcome.status === 'duplicate') throw new AppError('conflict', 'You already posted this comment here.');
  if (outcome.status === 'bad_parent') {
    throw new AppError('validation_failed', 'You can only reply to a visible top-level comment of this post.', {
      errors: [{ path: 'body.parentId', message: 'must be a visible top-level comment on this post' }],
    });
  }
  await dropThread(deps, post);
  // The post's author and, for a reply, the replied-to commenter hear of it by mail, after the response.
  notifyAboutComment(deps, outcome.id);
  const comment = saved(await mustLoad(deps, outcome.id));
  emitBlogEvents(deps, [commentEvent(deps.config.SITE_URL, post.id, comment)]);
  return comment;
}

/**
 * The settings' comment policy. Every comment comes from a signed-in account, so `open` and `signedIn` admit the
 * same people today; they will differ once accounts can be unverified (issue 19's email verification): `signedIn`
 * will then refuse unverified accounts here, and `open` admit them.
 */
function assertMayComment(settings: SiteSettings, _user: AuthUser): void {
  if (settings.comments === 'off') throw new AppError('forbidden', 'Comments are closed on this site.');
}

function withinWindow(row: db.CommentRow, now: number): boolean {
  return now - Date.parse(row.createdAt) <= EDIT_WINDOW_SECONDS * 1000;
}

export async function editComment(
  deps: Deps,
  user: AuthUser,
  id: number,
  markdown: string,
  now = Date.now(),
): Promise<SavedComment> {
  const row = await mustLoad(deps, id);
  if (row.author?.id !== user.id) throw new AppError('forbidden', 'You can only edit your own comments.');
  if (!withinWindow(row, now)) {
    throw new AppError('forbidden', `Comments can be edited for ${EDIT_WINDOW_SECONDS / 60} minutes after posting.`);
  }
  if (row.status !== 'published') throw new AppError('forbidden', 'A hidden comment cannot be edited.');
  const html = await render(markdown);
  await timed(deps, 'db', () => db.updateCommentBody(deps.sql, id, markdown, html));
  await dropThread(deps, { id: row.postId, slug: row.postSlug });
  return saved(await mustLoad(deps, id));
}

/** Authors delete their own within the window; editors delete any. The row stays as a placeholder for replies. */
export async function deleteComment(deps: Deps, user: AuthUser, id: number, now = Date.now()): Promise<void> {
  const row = await mustLoad(deps, id);
  const moderator = hasRole(user, 'editor');
  if (!moderator) {
    if (row.author?.id !== user.id) throw new AppError('forbidden', 'You can only delete your own comments.');
    if (!withinWindow(row, now)) {
      throw new AppError('forbidden', `Comments can be deleted for ${EDIT_WINDOW_SECONDS / 60} minutes after posting.`);
    }
  }
  await timed(deps, 'db', () => db.setCommentStatus(deps.sql, id, 'deleted'));
  await dropThread(deps, { id: row.postId, slug: row.postSlug });
}

/** Editors hide a comment from readers, or restore a hidden one. */
export async function moderateComment(
  deps: Deps,
  user: AuthUser,
  id: number,
  status: 'hidden' | 'published',
): Promise<SavedComment> {
  if (!hasRole(user, 'editor')) throw new AppError('forbidden', 'Only editors and admins moderate comments.');
  const row = await mustLoad(deps, id);
  await timed(deps, 'db', () => db.setCommentStatus(deps.sql, id, status));
  await dropThread(deps, { id: row.postId, slug: row.postSlug });
  return saved(await mustLoad(deps, id));
}

/** Comments per page of the moderation queue. */
export const QUEUE_PAGE_SIZE = 25;

/** The moderation queue (editors): every post's comments, newest first, optionally one status; from the primary. */
export async function readModerationQueue(
  deps: Deps,
  user: AuthUser,
  query: { status?: 'published' | 'hidden'; cursor?: string; limit?: number },
): Promise<{ items: db.QueuedComment[]; nextCursor: string | null }> {
  if (!hasRole(user, 'editor')) throw new AppError('forbidden', 'Only editors and admins moderate comments.');
  return timed(deps, 'db', () =>
    db.listRecentComments(deps.sql, {
      status: query.status,
      cursor: query.cursor,
      limit: query.limit ?? QUEUE_PAGE_SIZE,
    }),
  );
}

/** One comment as the queue shows it, for a moderator (the delete confirmation); 404 when missing or deleted. */
export async function readQueuedComment(deps: Deps, user: AuthUser, id: number): Promise<db.QueuedComment> {
  if (!hasRole(user, 'editor')) throw new AppError('forbidden', 'Only editors and admins moderate comments.');
  const comment = await timed(deps, 'db', () => db.getQueuedComment(deps.sql, id));
  if (!comment) throw new AppError('not_found', `There is no comment with id ${id}.`);
  return comment;
}

/** How many comments arrived in the last `days` days (editors' dashboard). */
export function countRecentComments(deps: Deps, days = 7, now = Date.now()): Promise<number> {
  return timed(deps, 'db', () => db.countCommentsSince(deps.sql, new Date(now - days * 86_400_000)));
}

// /admin/comments (editors and admins): the moderation queue. Hide, restore and delete go through lib/comments, the
// API's own rules, which also drop the post's cached page and thread; a form sends the moderator back to the same
// filter and page.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { deleteComment, moderateComment, readModerationQueue, readQueuedComment } from '../../lib/comments';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import { Cursor, Id } from '../../lib/schemas/common';
import { requireSignedIn, signedInSession } from '../auth/session';
import { parseFormBody } from '../form';
import { timeZoneOf } from './posts';
import { CommentsPage, DeleteCommentConfirm, queueHref, type QueueFilter } from './views/comments';

/** Where the queue is: a filter and a page. Anything unreadable falls back to the newest comments, all statuses. */
const QueuePosition = z.object({
  status: z.enum(['all', 'published', 'hidden']).catch('all'),
  cursor: Cursor.optional().catch(undefined),
});

const done: Record<string, string> = {
  hidden: 'Comment hidden: readers no longer see it.',
  restored: 'Comment restored: readers see it again.',
  deleted: 'Comment deleted.',
};

function commentId(c: Context<AppEnv>): number {
  const id = Id.safeParse(c.req.param('id'));
  if (!id.success) throw new AppError('not_found', 'There is no such comment.');
  return id.data;
}

async function queuePage(
  c: Context<AppEnv>,
  position: { status: QueueFilter; cursor?: string },
  notice: { message?: string; error?: string } = {},
  status = 200,
) {
  const { user, csrfToken } = await signedInSession(c);
  const page = await readModerationQueue(c.var.deps, user, {
    status: position.status === 'all' ? undefined : position.status,
    cursor: position.cursor,
  });
  return c.html(
    <CommentsPage
      user={user}
      csrfToken={csrfToken}
      filter={position.status}
      cursor={position.cursor}
      comments={page.items}
      nextCursor={page.nextCursor}
      timeZone={timeZoneOf(c)}
      {...notice}
    />,
    status as 200,
  );
}

/** Runs a moderation change; an expected refusal (the comment is gone) shows the queue again with the reason. */
async function moderate(c: Context<AppEnv>, work: () => Promise<unknown>, outcome: string): Promise<Response> {
  const position = QueuePosition.parse(await parseFormBody(c));
  try {
    await work();
  } catch (error) {
    const refusal = error instanceof AppError ? error : fromDatabaseError(error);
    if (!refusal || refusal.status >= 500) throw error;
    return queuePage(c, position, { error: refusal.message }, refusal.status);
  }
  const back = queueHref(position.status, position.cursor);
  return c.redirect(`${back}${back.includes('?') ? '&' : '?'}done=${outcome}`, 303);
}

export const adminComments = new Hono<AppEnv>()
  .get('/admin/comments', requireSignedIn('editor'), (c) =>
    queuePage(c, QueuePosition.parse(c.req.query()), { message: done[c.req.query('done') ?? ''] }),
  )
  .post('/admin/comments/:id/hide', requireSignedIn('editor'), async (c) => {
    const { user } = await signedInSession(c);
    const id = commentId(c);
    return moderate(c, () => moderateComment(c.var.deps, user, id, 'hidden'), 'hidden');
  })
  .post('/admin/comments/:id/restore', requireSignedIn('editor'), async (c) => {
    const { user } = await signedInSession(c);
    const id = commentId(c);
    return moderate(c, () => moderateComment(c.var.deps, user, id, 'published'), 'restored');
  })
  .get('/admin/comments/:id/delete', requireSignedIn('editor'), async (c) => {
    const { user, csrfToken } = await signedInSession(c);
    const comment = await readQueuedComment(c.var.deps, user, commentId(c));
    const position = QueuePosition.parse(c.req.query());
    return c.html(
      <DeleteCommentConfirm
        user={user}
        csrfToken={csrfToken}
        comment={comment}
        filter={position.status}
        cursor={position.cursor}
      />,
    );
  })
  .post('/admin/comments/:id/delete', requireSignedIn('editor'), async (c) => {
    const { user } = await signedInSession(c);
    const id = commentId(c);
    return moderate(c, () => deleteComment(c.var.deps, user, id), 'deleted');
  });

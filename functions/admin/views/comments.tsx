// The moderation queue (editors): recent comments on every post, newest first, a status filter, and for each
// comment Hide / Restore / Delete as plain forms. Delete goes through a confirmation page, like deleting a post.
import type { QueuedComment } from '../../../lib/db/comments';
import type { AuthUser } from '../../../lib/schemas/user';
import { utcToZoned } from '../../../lib/zoned-time';
import { CsrfField } from '../../pages/views/viewer-parts';
import { AdminLayout, Notice } from './layout';

export type QueueFilter = 'all' | 'published' | 'hidden';

const filterNames: Record<QueueFilter, string> = { all: 'All', published: 'Published', hidden: 'Hidden' };
const EXCERPT_CHARS = 160;

/** The start of a comment's markdown as one line of plain text (shown escaped, never as HTML). */
export function commentExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= EXCERPT_CHARS ? line : `${line.slice(0, EXCERPT_CHARS - 1).trimEnd()}…`;
}

export function queueHref(filter: QueueFilter, cursor?: string): string {
  const query = new URLSearchParams();
  if (filter !== 'all') query.set('status', filter);
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return text ? `/admin/comments?${text}` : '/admin/comments';
}

/** Where a moderation form sends the moderator back to: the same filter and page. */
function ReturnFields({ filter, cursor }: { filter: QueueFilter; cursor?: string }) {
  return (
    <>
      <input type="hidden" name="status" value={filter} />
      {cursor ? <input type="hidden" name="cursor" value={cursor} /> : null}
    </>
  );
}

function Who({ comment }: { comment: QueuedComment }) {
  if (!comment.author) return <span>{comment.authorName} (account removed)</span>;
  return (
    <span>
      {comment.author.displayName} <small>@{comment.author.username}</small>
      {comment.author.disabled ? <small> (disabled)</small> : null}
    </span>
  );
}

function PostLink({ comment }: { comment: QueuedComment }) {
  return comment.post.status === 'published' ? (
    <a href={`/posts/${comment.post.slug}#comment-${comment.id}`}>{comment.post.title}</a>
  ) : (
    <a href={`/admin/posts/${comment.post.id}/edit`}>{comment.post.title}</a>
  );
}

export interface CommentsPageProps {
  user: AuthUser;
  csrfToken: string;
  filter: QueueFilter;
  cursor?: string;
  comments: QueuedComment[];
  nextCursor: string | null;
  timeZone: string;
  message?: string;
  error?: string;
}

export function CommentsPage(props: CommentsPageProps) {
  const { user, csrfToken, filter, cursor, comments, nextCursor, timeZone, message, error } = props;
  return (
    <AdminLayout title="Comments" user={user}>
      <h1>Comments</h1>
      <Notice message={message} error={error} />
      <nav class="filters" aria-label="Show comments">
        {(['all', 'published', 'hidden'] as const).map((name) =>
          name === filter ? (
            <strong aria-current="page">{filterNames[name]}</strong>
          ) : (
            <a href={queueHref(name)}>{filterNames[name]}</a>
          ),
        )}
      </nav>
      {comments.length === 0 ? (
        <p class="empty">
          {cursor
            ? 'No older comments.'
            : filter === 'all'
              ? 'No comments yet. When readers comment on a post, their comments show up here.'
              : `No ${filter} comments.`}
        </p>
      ) : (
        <table class="comments-queue">
          <thead>
            <tr>
              <th>Comment</th>
              <th>On</th>
              <th>By</th>
              <th>Posted ({timeZone})</th>
              <th>Status</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {comments.map((comment) => (
              <tr id={`comment-${comment.id}`} class={`comment-${comment.status}`}>
                <td>
                  {comment.parentId !== null ? <small>Reply: </small> : null}
                  {commentExcerpt(comment.text)}
                </td>
                <td>
                  <PostLink comment={comment} />
                </td>
                <td>
                  <Who comment={comment} />
                </td>
                <td>
                  <time datetime={comment.createdAt}>{utcToZoned(comment.createdAt, timeZone).replace('T', ' ')}</time>
                </td>
                <td>{comment.status === 'hidden' ? 'Hidden' : 'Published'}</td>
                <td class="moderate">
                  <form
                    method="post"
                    action={`/admin/comments/${comment.id}/${comment.status === 'hidden' ? 'restore' : 'hide'}`}
                    class="inline"
                  >
                    <CsrfField token={csrfToken} />
                    <ReturnFields filter={filter} cursor={cursor} />
                    <button type="submit">{comment.status === 'hidden' ? 'Restore' : 'Hide'}</button>
                  </form>{' '}
                  <a
                    class="danger"
                    href={`/admin/comments/${comment.id}/delete?${new URLSearchParams(cursor ? { status: filter, cursor } : { status: filter })}`}
                  >
                    Delete…
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="pager">
        {cursor ? <a href={queueHref(filter)}>Newest</a> : null}
        {cursor && nextCursor ? ' · ' : null}
        {nextCursor ? (
          <a href={queueHref(filter, nextCursor)} rel="next">
            Older comments
          </a>
        ) : null}
      </p>
    </AdminLayout>
  );
}

export function DeleteCommentConfirm({
  user,
  csrfToken,
  comment,
  filter,
  cursor,
}: {
  user: AuthUser;
  csrfToken: string;
  comment: QueuedComment;
  filter: QueueFilter;
  cursor?: string;
}) {
  return (
    <AdminLayout title="Delete comment" user={user}>
      <h1>Delete this comment?</h1>
      <blockquote class="comment-excerpt">{commentExcerpt(comment.text)}</blockquote>
      <p>
        By <Who comment={comment} /> on <PostLink comment={comment} />.
      </p>
      <p>This cannot be undone (Hide can). If it has replies, they stay, under an empty placeholder.</p>
      <form method="post" action={`/admin/comments/${comment.id}/delete`}>
        <CsrfField token={csrfToken} />
        <ReturnFields filter={filter} cursor={cursor} />
        <button type="submit" class="danger">
          Yes, delete it
        </button>{' '}
        <a href={queueHref(filter, cursor)}>No, keep it</a>
      </form>
    </AdminLayout>
  );
}

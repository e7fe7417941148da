// The post page's comment thread, as cached and shared by every visitor: the forms are viewer slots, filled per
// request (viewer-parts.tsx), so no reader's CSRF token or name is ever part of the cached page.
import { raw } from 'hono/html';
import type { Comment, CommentPage, Reply } from '../../../lib/schemas/comment';
import { viewerSlot } from '../../../lib/viewer';
import { formatDate } from './layout';

function CommentBody({ comment }: { comment: Reply }) {
  if (comment.status !== 'published') {
    return (
      <p class="muted comment-gone">
        {comment.status === 'deleted' ? 'This comment was deleted.' : 'This comment is hidden.'}
      </p>
    );
  }
  return (
    <>
      <p class="meta">
        <strong>{comment.author?.displayName ?? 'Someone'}</strong> ·{' '}
        <a href={`#comment-${comment.id}`}>
          <time datetime={comment.createdAt}>{formatDate(comment.createdAt)}</time>
        </a>
        {comment.editedAt ? ' · edited' : null}
      </p>
      {/* Sanitized by the comment allowlist in lib/markdown.ts when it was saved. */}
      <div class="comment-body">{raw(comment.html)}</div>
    </>
  );
}

function ThreadItem({ comment }: { comment: Comment }) {
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <CommentBody comment={comment} />
      {comment.replies.length > 0 ? (
        <ol class="replies">
          {comment.replies.map((reply) => (
            <li class="comment" id={`comment-${reply.id}`}>
              <CommentBody comment={reply} />
            </li>
          ))}
        </ol>
      ) : null}
      {comment.status === 'published' ? raw(viewerSlot('reply-form', String(comment.id))) : null}
    </li>
  );
}

export function CommentsSection({ postId, thread }: { postId: number; thread: CommentPage | null }) {
  const page = thread ?? { items: [], nextCursor: null, total: 0 };
  return (
    <section class="comments" id="comments">
      <h2>{page.total === 1 ? '1 comment' : `${page.total} comments`}</h2>
      {page.items.length > 0 ? (
        <ol class="thread">
          {page.items.map((comment) => (
            <ThreadItem comment={comment} />
          ))}
        </ol>
      ) : (
        <p class="muted">No comments yet.</p>
      )}
      {page.nextCursor ? (
        <p class="muted">
          More comments:{' '}
          <a href={`/api/posts/${postId}/comments?cursor=${encodeURIComponent(page.nextCursor)}`}>next page (JSON)</a>
        </p>
      ) : null}
      {raw(viewerSlot('comment-form'))}
    </section>
  );
}

// The post page's comment thread, as cached and shared by every visitor: the forms are viewer slots, filled per
// request (viewer-parts.tsx), so no reader's CSRF token or name is ever part of the cached page.
import { raw } from 'hono/html';
import type { Comment, CommentPage, Reply } from '../../../lib/schemas/comment';
import { viewerSlot } from '../../../lib/viewer';
import type { SiteSettings } from '../../../lib/settings/schema';
import { formatDate } from './layout';

function CommentBody({ comment, site }: { comment: Reply; site: SiteSettings }) {
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
          <time datetime={comment.createdAt}>{formatDate(comment.createdAt, site)}</time>
        </a>
        {comment.editedAt ? ' · edited' : null}
      </p>
      {/* Sanitized by the comment allowlist in lib/markdown.ts when it was saved. */}
      <div class="comment-body">{raw(comment.html)}</div>
    </>
  );
}

function ThreadItem({ comment, site }: { comment: Comment; site: SiteSettings }) {
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <CommentBody comment={comment} site={site} />
      {comment.replies.length > 0 ? (
        <ol class="replies">
          {comment.replies.map((reply) => (
            <li class="comment" id={`comment-${reply.id}`}>
              <CommentBody comment={reply} site={site} />
            </li>
          ))}
        </ol>
      ) : null}
      {comment.status === 'published' && site.comments !== 'off'
        ? raw(viewerSlot('reply-form', String(comment.id)))
        : null}
    </li>
  );
}

export function CommentsSection({
  postId,
  thread,
  site,
}: {
  postId: number;
  thread: CommentPage | null;
  site: SiteSettings;
}) {
  const page = thread ?? { items: [], nextCursor: null, total: 0 };
  return (
    <section class="comments" id="comments">
      <h2>{page.total === 1 ? '1 comment' : `${page.total} comments`}</h2>
      {page.items.length > 0 ? (
        <ol class="thread">
          {page.items.map((comment) => (
            <ThreadItem comment={comment} site={site} />
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
      {site.comments === 'off' ? <p class="muted">Comments are closed.</p> : raw(viewerSlot('comment-form'))}
    </section>
  );
}

// Comment and reaction shapes for the API and pages.
import { z } from '@hono/zod-openapi';
import { Cursor, Id, Slug, Timestamp } from './common';

import { DEFAULT_THREAD_PAGE, MAX_COMMENT_LENGTH, REACTION_KINDS } from './comment-limits';

export { DEFAULT_THREAD_PAGE, MAX_COMMENT_LENGTH, REACTION_KINDS } from './comment-limits';

export const CommentMarkdown = z
  .string()
  .trim()
  .min(1, 'Write something first: the comment is empty.')
  // Written out, not toLocaleString: the first Intl call loads locale data, a cost every cold isolate would pay.
  .max(MAX_COMMENT_LENGTH, 'Comments are limited to 5,000 characters.')
  .openapi({
    description: 'Markdown: emphasis, code, links, quotes and lists. Rendered and sanitized when saved.',
    example: 'Nice post! The part about *leases* was new to me.',
  });

export const CreateCommentBody = z
  .object({
    body: CommentMarkdown,
    parentId: Id.optional().openapi({ description: 'Reply to this top-level comment (replies nest one level).' }),
  })
  .openapi('CreateCommentBody');
export type CreateCommentBody = z.infer<typeof CreateCommentBody>;

export const UpdateCommentBody = z.object({ body: CommentMarkdown }).openapi('UpdateCommentBody');
export type UpdateCommentBody = z.infer<typeof UpdateCommentBody>;

export const CommentStatus = z.enum(['published', 'hidden', 'deleted']);
export type CommentStatus = z.infer<typeof CommentStatus>;

const CommentAuthor = z
  .object({ id: z.number().int(), username: z.string(), displayName: z.string() })
  .openapi('CommentAuthor');

const CommentFields = {
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  /** Null on a placeholder (a removed comment kept so its replies keep their place). */
  author: CommentAuthor.nullable(),
  html: z.string().openapi({ description: 'Sanitized HTML; empty on a placeholder.' }),
  status: CommentStatus.openapi({ description: 'published, or `deleted` / `hidden` on a placeholder.' }),
  createdAt: Timestamp,
  editedAt: Timestamp.nullable(),
};

export const Reply = z.object(CommentFields).openapi('Reply');
export type Reply = z.infer<typeof Reply>;

export const Comment = z.object({ ...CommentFields, replies: z.array(Reply) }).openapi('Comment');
export type Comment = z.infer<typeof Comment>;

export const CommentPage = z
  .object({
    items: z.array(Comment),
    nextCursor: z.string().nullable(),
    total: z.number().int().openapi({ description: 'Visible comments on the post, replies included.' }),
  })
  .openapi('CommentPage');
export type CommentPage = z.infer<typeof CommentPage>;

export const ListCommentsQuery = z.object({
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(DEFAULT_THREAD_PAGE),
});
export type ListCommentsQuery = z.infer<typeof ListCommentsQuery>;

/** One comment as its author or a moderator sees it after a change. */
export const SavedComment = z
  .object({ ...CommentFields, postSlug: Slug, markdown: z.string() })
  .openapi('SavedComment');
export type SavedComment = z.infer<typeof SavedComment>;

export const ReactionKind = z.enum(REACTION_KINDS);
export type ReactionKind = z.infer<typeof ReactionKind>;

export const ReactionCounts = z
  .object({ like: z.number().int(), insightful: z.number().int(), celebrate: z.number().int() })
  .openapi('ReactionCounts');
export type ReactionCounts = z.infer<typeof ReactionCounts>;

export const ReactionParams = z.object({
  slug: Slug.openapi({ param: { name: 'slug', in: 'path' } }),
  kind: ReactionKind.openapi({ param: { name: 'kind', in: 'path' } }),
});

/** The API's address of a reaction: the post by id (pages use ReactionParams, by slug). */
export const PostReactionParams = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
  kind: ReactionKind.openapi({ param: { name: 'kind', in: 'path' } }),
});

export const ReactionState = z
  .object({ kind: ReactionKind, reacted: z.boolean(), counts: ReactionCounts })
  .openapi('ReactionState');
export type ReactionState = z.infer<typeof ReactionState>;

// Post shapes for the API and pages; the TypeScript types are inferred from these, never written twice.
import { z } from '@hono/zod-openapi';
import { ReactionCounts } from './comment';
import { Slug, Timestamp } from './common';
import { PostStatus, type SummaryField } from './reader';
import { AuthorSummary } from './user';

// The status and the list and search queries are what a reader's page validates: they live in ./reader.ts, which
// the pages import without building every post shape at start-up.
export { ListPostsQuery, PostStatus, SearchPostsQuery, type SummaryField } from './reader';

/** A post, or a page (About, Contact…): served at `/{slug}` and never in a list of posts. */
export const PostType = z.enum(['post', 'page']);
export type PostType = z.infer<typeof PostType>;

export const TagRef = z.object({ slug: z.string(), name: z.string() }).openapi('TagRef');

export const TocEntry = z.object({ id: z.string(), text: z.string(), depth: z.number().int() }).openapi('TocEntry');

export const PostSummary = z
  .object({
    id: z.number().int(),
    slug: Slug,
    title: z.string(),
    excerpt: z.string(),
    status: PostStatus,
    publishedAt: Timestamp.nullable(),
    readingMinutes: z.number().int(),
    author: AuthorSummary,
    tags: z.array(TagRef),
  })
  .openapi('PostSummary');
export type PostSummary = z.infer<typeof PostSummary>;

export const Post = PostSummary.extend({
  type: PostType,
  excerptCustom: z
    .boolean()
    .openapi({ description: "Whether the excerpt is the writer's own (else it is the start of the body)." }),
  html: z.string().openapi({ description: 'Sanitized HTML rendered from the markdown when the post was saved.' }),
  markdown: z.string(),
  toc: z.array(TocEntry),
  version: z.number().int().openapi({ description: 'Send it back with PATCH; a stale version is refused.' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  reactions: ReactionCounts,
  views: z.number().int().openapi({ description: 'Page views, as of the last cron flush (every few minutes).' }),
  emailSubscribers: z.boolean().openapi({
    description:
      'Whether the post is mailed to subscribers when it is first published (see /api/posts/{id}/newsletter).',
  }),
}).openapi('Post');
export type Post = z.infer<typeof Post>;
/** A post as its page shows it: everything but the writer's own fields (markdown source, newsletter choice). */
export type PostView = Omit<Post, 'markdown' | 'emailSubscribers'>;

export const PostPage = z
  .object({ items: z.array(PostSummary), nextCursor: z.string().nullable() })
  .openapi('PostPage');
export type PostPage = z.infer<typeof PostPage>;

// SUMMARY_FIELDS in ./reader.ts (what the `fields` query may ask for) must name exactly PostSummary's fields: this
// line stops compiling when the two differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const summaryFieldsMatch: Same<keyof PostSummary, SummaryField> = true;

export const TrimmedPostPage = z
  .object({ items: z.array(PostSummary.partial()), nextCursor: z.string().nullable() })
  .openapi('TrimmedPostPage');

/** 200 KB of markdown, counted in UTF-8 bytes as the design caps it, checked before the renderer sees it. */
export const MAX_MARKDOWN_BYTES = 200 * 1024;
const Markdown = z
  .string()
  .min(1)
  .max(MAX_MARKDOWN_BYTES)
  .refine((text) => new TextEncoder().encode(text).length <= MAX_MARKDOWN_BYTES, {
    message: `must be at most ${MAX_MARKDOWN_BYTES} bytes`,
  });

const TagName = z.string().trim().min(1).max(60);

/** A derived excerpt is at most 280 characters; a writer's own may be a little longer. */
export const MAX_EXCERPT_LENGTH = 300;
/**
 * The writer's own excerpt: plain text (shown escaped, never as HTML), on one line. Empty means "the start of the
 * body", as when it is absent.
 */
const Excerpt = z
  .string()
  .transform((text) => text.replace(/\s+/g, ' ').trim())
  .pipe(z.string().max(MAX_EXCERPT_LENGTH, `Excerpts are limited to ${MAX_EXCERPT_LENGTH} characters.`))
  .openapi({
    type: 'string',
    maxLength: MAX_EXCERPT_LENGTH,
    description: 'Plain text for lists, feeds and link previews; empty or omitted: the start of the body.',
  });

const PostFields = {
  title: z.string().trim().min(1).max(200),
  slug: Slug.optional().openapi({ description: 'Derived from the title when omitted.' }),
  markdown: Markdown,
  status: PostStatus.default('draft'),
  publishedAt: Timestamp.nullable().optional().openapi({
    description: 'Required for scheduled posts (must be in the future); defaults to now when publishing.',
  }),
  tags: z.array(TagName).max(20).default([]).openapi({ description: 'Tag names; missing tags are created.' }),
  excerpt: Excerpt.optional(),
  emailSubscribers: z
    .boolean()
    .optional()
    .openapi({
      description:
        'Mail the post to subscribers when it is first published (default true). Decided at that first publish: ' +
        'a later change, re-publish or unpublish/publish mails nobody.',
    }),
};

export const CreatePostBody = z.object(PostFields).openapi('CreatePost');
export type CreatePostBody = z.infer<typeof CreatePostBody>;

export const UpdatePostBody = z
  .object({
    version: z
      .number()
      .int()
      .positive()
      .max(2_147_483_647)
      .openapi({ description: 'The version you edited; a stale one is refused with 409.' }),
    title: PostFields.title.optional(),
    slug: Slug.optional(),
    markdown: Markdown.optional(),
    status: PostStatus.optional(),
    publishedAt: PostFields.publishedAt,
    tags: z.array(TagName).max(20).optional(),
    excerpt: Excerpt.nullable()
      .optional()
      .openapi({ description: 'Empty or null: derive it from the body again; omitted: unchanged.' }),
    emailSubscribers: PostFields.emailSubscribers,
    autosave: z.boolean().optional().openapi({
      description:
        "The editor's autosave: its revision replaces the writer's previous autosave of the last ten minutes.",
    }),
  })
  .openapi('UpdatePost');
export type UpdatePostBody = z.infer<typeof UpdatePostBody>;

export const MarkdownPreviewBody = z.object({ markdown: Markdown }).openapi('MarkdownPreviewRequest');
export const MarkdownPreview = z
  .object({ html: z.string(), toc: z.array(TocEntry), excerpt: z.string(), readingMinutes: z.number().int() })
  .openapi('MarkdownPreview');

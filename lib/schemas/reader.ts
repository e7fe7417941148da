// The schemas a reader's page checks its address with (a slug, a post list's cursor and size, a search, an author's
// name), apart from the API's shapes: the pages import them at start-up, and building every post, user and comment
// shape there was most of the Worker's cold start (./common.ts, ./post.ts and ./user.ts re-export these, so the API
// sees one set).
import { z } from '@hono/zod-openapi';
import { SLUG_PATTERN } from '../slug';

export const Slug = z
  .string()
  .min(1)
  .max(120)
  .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens')
  .openapi({ example: 'hello-edge' });

export const SlugParams = z.object({ slug: Slug.openapi({ param: { name: 'slug', in: 'path' } }) });

/** The page size when none is asked for; the cron warms exactly this first page. */
export const DEFAULT_PAGE_SIZE = 10;
export const Limit = z.coerce.number().int().min(1).max(100).default(DEFAULT_PAGE_SIZE);
export const Cursor = z.string().min(1).max(200).openapi({ description: 'Opaque cursor from a previous page.' });

export const PostStatus = z.enum(['draft', 'scheduled', 'published']);
export type PostStatus = z.infer<typeof PostStatus>;

export const ListPostsQuery = z.object({
  cursor: Cursor.optional(),
  limit: Limit,
});
export type ListPostsQuery = z.infer<typeof ListPostsQuery>;

/** PostSummary's fields (./post.ts checks they are the same), which the `fields` query may name. */
export const SUMMARY_FIELDS = [
  'id',
  'slug',
  'title',
  'excerpt',
  'status',
  'publishedAt',
  'readingMinutes',
  'author',
  'tags',
] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];
const summaryFields: readonly string[] = SUMMARY_FIELDS;

export const SearchPostsQuery = ListPostsQuery.extend({
  tag: Slug.optional().openapi({ description: 'Only posts with this tag slug.' }),
  author: z
    .string()
    .min(3)
    .max(32)
    .regex(/^[a-zA-Z0-9_-]{3,32}$/)
    .optional()
    .openapi({ description: 'Only posts by this username.' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'Full-text search over title and body, ranked.' }),
  status: PostStatus.default('published').openapi({
    description: 'draft and scheduled need a signed-in author (own posts) or editor (all posts).',
  }),
  fields: z
    .string()
    .max(300)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const wanted = value
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      const unknown = wanted.filter((f) => !summaryFields.includes(f));
      if (unknown.length > 0 || wanted.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown fields: ${unknown.join(', ') || '(none given)'}; allowed: ${summaryFields.join(', ')}`,
        });
        return z.NEVER;
      }
      return wanted as SummaryField[];
    })
    .openapi({
      type: 'string',
      maxLength: 300,
      description: 'Comma-separated fields to return for each post, e.g. `slug,title`.',
    }),
});
export type SearchPostsQuery = z.infer<typeof SearchPostsQuery>;

// Field rules mirror the users table's CHECK constraints, so the database never has to reject a valid request.
export const Username = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-zA-Z0-9_-]{3,32}$/, 'must be 3-32 letters, digits, underscores or hyphens')
  .openapi({ example: 'ada' });

// Schemas shared by several resources: slugs, ids, pagination and problem details.
import { z } from '@hono/zod-openapi';
import { SLUG_PATTERN } from '../slug';

export const Slug = z
  .string()
  .min(1)
  .max(120)
  .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens')
  .openapi({ example: 'hello-edge' });

export const Id = z.coerce.number().int().positive().max(2_147_483_647).openapi({ example: 1 });

export const SlugParams = z.object({ slug: Slug.openapi({ param: { name: 'slug', in: 'path' } }) });
export const IdParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });

/** The page size when none is asked for; the cron warms exactly this first page. */
export const DEFAULT_PAGE_SIZE = 10;
export const Limit = z.coerce.number().int().min(1).max(100).default(DEFAULT_PAGE_SIZE);
export const Cursor = z.string().min(1).max(200).openapi({ description: 'Opaque cursor from a previous page.' });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const Timestamp = z
  .string()
  // Longer than any ISO 8601 date-time with nanoseconds and an offset; a bound the document can state.
  .max(40)
  .datetime({ offset: true })
  .refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }, 'must be between the years 1970 and 9999')
  .openapi({ example: '2026-11-24T12:00:00.000Z' });

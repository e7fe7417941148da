// Schemas shared by several resources: slugs, ids, pagination and problem details.
import { z } from '@hono/zod-openapi';

// The slug, cursor and page size are what a reader's page checks its address with: they live in ./reader.ts.
export { Cursor, DEFAULT_PAGE_SIZE, Limit, Slug, SlugParams } from './reader';

export const Id = z.coerce.number().int().positive().max(2_147_483_647).openapi({ example: 1 });

export const IdParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });

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

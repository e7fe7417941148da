// Tag shapes for the API.
import { z } from '@hono/zod-openapi';
import { Slug } from './common';

export const Tag = z
  .object({
    id: z.number().int(),
    slug: Slug,
    name: z.string(),
    description: z.string(),
    postCount: z.number().int().openapi({ description: 'Published posts carrying this tag.' }),
  })
  .openapi('Tag');
export type Tag = z.infer<typeof Tag>;

export const TagList = z.object({ items: z.array(Tag) }).openapi('TagList');

export const CreateTagBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    slug: Slug.max(60).optional().openapi({ description: 'Derived from the name when omitted.' }),
    description: z.string().max(500).default(''),
  })
  .openapi('CreateTag');
export type CreateTagBody = z.infer<typeof CreateTagBody>;

export const UpdateTagBody = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    slug: Slug.max(60).optional(),
    description: z.string().max(500).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one of name, slug, description' })
  .openapi('UpdateTag');
export type UpdateTagBody = z.infer<typeof UpdateTagBody>;

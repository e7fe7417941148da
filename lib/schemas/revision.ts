// Revision shapes for the API and the admin's revisions view.
import { z } from '@hono/zod-openapi';
import { Timestamp } from './common';
import { AuthorSummary } from './user';

export const RevisionKind = z
  .enum(['save', 'autosave', 'restore'])
  .openapi({ description: 'A save by the writer, an autosave from the editor, or a restore of an older revision.' });
export type RevisionKind = z.infer<typeof RevisionKind>;

export const RevisionSummary = z
  .object({
    id: z.number().int(),
    postId: z.number().int(),
    kind: RevisionKind,
    version: z.number().int().openapi({ description: 'The post version this text was saved as.' }),
    title: z.string(),
    author: AuthorSummary.nullable().openapi({ description: 'Who saved it; null when that account was deleted.' }),
    savedAt: Timestamp,
  })
  .openapi('RevisionSummary');
export type RevisionSummary = z.infer<typeof RevisionSummary>;

export const Revision = RevisionSummary.extend({
  markdown: z.string(),
  excerpt: z.string().nullable().openapi({ description: "The writer's own excerpt; null when it followed the body." }),
}).openapi('Revision');
export type Revision = z.infer<typeof Revision>;

export const RevisionList = z.object({ items: z.array(RevisionSummary) }).openapi('RevisionList');

export const RevisionParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
  revisionId: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'revisionId', in: 'path' }, example: 1 }),
});

export const RestoreRevisionBody = z
  .object({
    version: z
      .number()
      .int()
      .positive()
      .max(2_147_483_647)
      .openapi({ description: 'The post version you are looking at; a stale one is refused with 409.' }),
  })
  .openapi('RestoreRevision');

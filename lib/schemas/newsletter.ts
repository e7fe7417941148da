// A post's newsletter send as authors see it (the editor, GET /api/posts/{id}/newsletter).
import { z } from '@hono/zod-openapi';
import { Timestamp } from './common';

export const NewsletterSend = z
  .object({
    status: z.enum(['queued', 'sending', 'sent', 'skipped']).openapi({
      description:
        'queued: waiting for the queue; sending: under way; sent: every subscriber has been tried; skipped: the ' +
        'author chose not to email it (or it was published before newsletters existed).',
    }),
    recipients: z.number().int().openapi({ description: 'Confirmed subscribers it is for (0 until it starts).' }),
    sent: z.number().int(),
    failed: z.number().int().openapi({ description: 'Refused by the mail service, or given up on.' }),
    createdAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .openapi('NewsletterSend');
export type NewsletterSend = z.infer<typeof NewsletterSend>;

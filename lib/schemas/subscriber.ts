// Newsletter sign-up shapes: what POST /api/subscribers and the subscribe form take.
import { z } from '@hono/zod-openapi';
import { Slug } from './common';
import { Email } from './user';

export const SubscribeBody = z
  .object({
    email: Email,
    tags: z
      .array(Slug.max(60))
      .max(20)
      .optional()
      .openapi({ description: 'Follow only posts with any of these tags (slugs); omitted or empty: every post.' }),
  })
  .openapi('SubscribeBody');
export type SubscribeBody = z.infer<typeof SubscribeBody>;

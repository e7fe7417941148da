// Webhook shapes for the API; the types are inferred from these.
import { z } from '@hono/zod-openapi';
import { WEBHOOK_EVENTS } from '../webhooks/events';
import { Timestamp } from './common';

export const WebhookEvent = z.enum(WEBHOOK_EVENTS).openapi('WebhookEvent');

export const CreateWebhookBody = z
  .object({
    url: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(2000)
      .openapi({ example: 'https://hooks.example.com/lembas' }),
    events: z.array(WebhookEvent).min(1).max(WEBHOOK_EVENTS.length),
  })
  .openapi('CreateWebhookBody');
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const Webhook = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: Timestamp,
  })
  .openapi('Webhook');

export const CreatedWebhook = Webhook.extend({
  secret: z.string().openapi({
    description: 'The signing secret (`whsec_` + base64), shown this once: store it where your receiver verifies.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('CreatedWebhook');

export const WebhookList = z
  .object({
    items: z.array(
      Webhook.extend({
        lastDelivery: z.object({ status: z.string(), createdAt: Timestamp }).nullable(),
      }),
    ),
  })
  .openapi('WebhookList');

export const WebhookAttempt = z
  .object({
    attemptedAt: Timestamp,
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z.string().nullable(),
  })
  .openapi('WebhookAttempt');

export const WebhookDeliveryList = z
  .object({
    items: z.array(
      z.object({
        id: z.string().openapi({ description: 'The `webhook-id` header, the same on every attempt.' }),
        event: z.string(),
        status: z.enum(['pending', 'delivered', 'failed']),
        createdAt: Timestamp,
        attempts: z.array(WebhookAttempt),
      }),
    ),
  })
  .openapi('WebhookDeliveryList');

export const DeliveryParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'id', in: 'path' } }),
  deliveryId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_]+$/)
    .openapi({ param: { name: 'deliveryId', in: 'path' } }),
});

// /api/webhooks (admins): register an endpoint (its signing secret is in this one answer), list, delete, read its
// deliveries with every attempt, and send a delivery again.
import { createRoute } from '@hono/zod-openapi';
import { IdParams } from '../../lib/schemas/common';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveryParams,
  WebhookDeliveryList,
  WebhookList,
} from '../../lib/schemas/webhook';
import {
  listWebhooks,
  readWebhookDeliveries,
  registerWebhook,
  removeWebhook,
  resendDelivery,
} from '../../lib/webhooks';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';

const adminOnly = { security: bearerAuth, middleware: requireRole('admin') };
const authErrors = {
  401: problemResponse('No valid token'),
  403: problemResponse('Needs the admin role'),
};

export const webhooksApi = createApi()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/webhooks',
      operationId: 'createWebhook',
      tags: ['webhooks'],
      summary: 'Register a webhook endpoint (admins)',
      description:
        'Deliveries follow Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, the ' +
        'signature an HMAC-SHA256 of `id.timestamp.body` with the secret in this answer (it is never shown again). ' +
        'Addresses that resolve to loopback, private or link-local networks are refused.',
      ...adminOnly,
      request: { body: jsonBody(CreateWebhookBody) },
      responses: {
        201: jsonResponse(CreatedWebhook, 'Registered; keep the secret'),
        400: problemResponse('Malformed JSON'),
        ...authErrors,
        422: problemResponse('Invalid body, or an address that may not receive webhooks'),
      },
    }),
    async (c) => {
      const { webhook, secret } = await registerWebhook(c.get('deps'), signedInUser(c), c.req.valid('json'));
      return c.json({ ...webhook, secret }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/webhooks',
      operationId: 'listWebhooks',
      tags: ['webhooks'],
      summary: 'Registered webhook endpoints (admins)',
      description: 'Every endpoint with its events and the status of its newest delivery; secrets are never listed.',
      ...adminOnly,
      responses: { 200: jsonResponse(WebhookList, 'Endpoints'), ...authErrors },
    }),
    async (c) => c.json({ items: await listWebhooks(c.get('deps')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/webhooks/{id}',
      operationId: 'deleteWebhook',
      tags: ['webhooks'],
      summary: 'Delete a webhook endpoint and its delivery log (admins)',
      description: 'Deliveries still queued for it are dropped when their turn comes.',
      ...adminOnly,
      request: { params: IdParams },
      responses: {
        204: { description: 'Deleted' },
        ...authErrors,
        404: problemResponse('No such webhook'),
        422: problemResponse('Invalid id'),
      },
    }),
    async (c) => {
      await removeWebhook(c.get('deps'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/webhooks/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      tags: ['webhooks'],
      summary: "An endpoint's newest deliveries, each with its attempts (admins)",
      description:
        'The 50 newest deliveries; each attempt with the status code it got (null: no answer) and its duration.',
      ...adminOnly,
      request: { params: IdParams },
      responses: {
        200: jsonResponse(WebhookDeliveryList, 'Deliveries'),
        ...authErrors,
        404: problemResponse('No such webhook'),
        422: problemResponse('Invalid id'),
      },
    }),
    async (c) => {
      const { deliveries } = await readWebhookDeliveries(c.get('deps'), c.req.valid('param').id);
      return c.json({ items: deliveries }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/webhooks/{id}/deliveries/{deliveryId}/resend',
      operationId: 'resendWebhookDelivery',
      tags: ['webhooks'],
      summary: 'Send a delivery again (admins)',
      description: 'The same body and webhook-id, with a new timestamp and signature, through the queue with retries.',
      ...adminOnly,
      request: { params: DeliveryParams },
      responses: {
        202: { description: 'Queued' },
        ...authErrors,
        404: problemResponse('No such delivery'),
        422: problemResponse('Invalid id'),
      },
    }),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      await resendDelivery(c.get('deps'), id, deliveryId);
      return c.body(null, 202);
    },
  );

// Webhooks as admins manage them: register an endpoint (its secret shown once), list, delete, read its deliveries
// and send one again. Deliveries themselves run on the jobs queue (lib/jobs/, lib/webhooks/deliver.ts).
import type { Deps } from '../context';
import * as db from '../db/webhooks';
import { AppError } from '../errors';
import { enqueueJobs } from '../jobs/enqueue';
import type { AuthUser } from '../schemas/user';
import { checkWebhookAddress } from './address';
import type { WebhookEventType } from './events';
import { encryptSecret } from './secrets';
import { newWebhookSecret } from './signature';

export { WEBHOOK_EVENTS, type WebhookEventType } from './events';

export interface NewWebhook {
  url: string;
  events: WebhookEventType[];
}

/** The endpoint and its signing secret, which is never shown again. */
export async function registerWebhook(
  deps: Deps,
  admin: AuthUser,
  body: NewWebhook,
): Promise<{ webhook: Omit<db.WebhookRecord, 'secretEncrypted'>; secret: string }> {
  const address = await checkWebhookAddress(deps.config, body.url);
  if (!address.ok) {
    throw new AppError('validation_failed', `That address cannot receive webhooks: ${address.reason}.`, {
      errors: [{ path: 'body.url', message: address.reason }],
    });
  }
  const secret = newWebhookSecret();
  const { secretEncrypted: _, ...webhook } = await db.insertWebhook(deps.sql, {
    url: body.url,
    events: [...new Set(body.events)],
    secretEncrypted: await encryptSecret(deps.config, secret),
    createdBy: admin.id,
  });
  return { webhook, secret };
}

export function listWebhooks(deps: Deps): Promise<db.WebhookSummary[]> {
  return db.listWebhooks(deps.sql);
}

export async function removeWebhook(deps: Deps, id: number): Promise<void> {
  if (!(await db.deleteWebhook(deps.sql, id))) throw new AppError('not_found', `There is no webhook with id ${id}.`);
}

export async function readWebhookDeliveries(
  deps: Deps,
  id: number,
  limit = 50,
): Promise<{ webhook: Omit<db.WebhookRecord, 'secretEncrypted'>; deliveries: db.DeliveryWithAttempts[] }> {
  const [found, deliveries] = await Promise.all([db.getWebhook(deps.sql, id), db.listDeliveries(deps.sql, id, limit)]);
  if (!found) throw new AppError('not_found', `There is no webhook with id ${id}.`);
  const { secretEncrypted: _, ...webhook } = found;
  return { webhook, deliveries };
}

/** "Send again": the same body and webhook-id, a new timestamp and signature, through the queue like the first. */
export async function resendDelivery(deps: Deps, webhookId: number, deliveryId: string): Promise<void> {
  const found = await db.getDeliveryForAttempt(deps.sql, deliveryId);
  if (!found || found.webhook.id !== webhookId) {
    throw new AppError('not_found', `There is no delivery ${deliveryId} for webhook ${webhookId}.`);
  }
  await db.setDeliveryStatus(deps.sql, deliveryId, 'pending');
  await enqueueJobs(deps, [{ type: 'webhook.delivery', deliveryId }]);
}

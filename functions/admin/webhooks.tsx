// /admin/webhooks (admins): endpoints, a form to add one (its secret shown on the page that answers, once),
// deletion, and each endpoint's deliveries with "Send again"; through lib/webhooks, as the API.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { CreateWebhookBody } from '../../lib/schemas/webhook';
import {
  listWebhooks,
  readWebhookDeliveries,
  registerWebhook,
  removeWebhook,
  resendDelivery,
} from '../../lib/webhooks';
import { requireSignedIn, signedInSession } from '../auth/session';
import { parseFormBody } from '../form';
import { WebhookDeliveriesPage, WebhooksPage } from './views/webhooks';

const done: Record<string, string> = { deleted: 'Webhook deleted.' };
const WebhookId = z.coerce.number().int().positive().max(2_147_483_647);
const DeliveryId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_]+$/);

async function webhooksPage(c: Context<AppEnv>, extra: Partial<Parameters<typeof WebhooksPage>[0]> = {}, status = 200) {
  const { user, csrfToken } = await signedInSession(c);
  const webhooks = await listWebhooks(c.var.deps);
  return c.html(<WebhooksPage user={user} csrfToken={csrfToken} webhooks={webhooks} {...extra} />, status as 200);
}

function webhookId(c: Context<AppEnv>): number {
  const id = WebhookId.safeParse(c.req.param('id'));
  if (!id.success) throw new AppError('not_found', 'There is no such webhook.');
  return id.data;
}

export const adminWebhooks = new Hono<AppEnv>()
  .get('/admin/webhooks', requireSignedIn('admin'), (c) =>
    webhooksPage(c, { message: done[c.req.query('done') ?? ''] }),
  )
  .post('/admin/webhooks', requireSignedIn('admin'), async (c) => {
    const { user } = await signedInSession(c);
    const form = await parseFormBody(c);
    const chosen = form['events[]'];
    const values = {
      url: typeof form.url === 'string' ? form.url.trim() : '',
      events: (Array.isArray(chosen) ? chosen : [chosen]).filter((v): v is string => typeof v === 'string'),
    };
    const parsed = CreateWebhookBody.safeParse(values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const error = issue?.path[0] === 'events' ? 'Choose at least one event.' : 'Give the endpoint as an http(s) URL.';
      return webhooksPage(c, { values, error }, 422);
    }
    try {
      const { webhook, secret } = await registerWebhook(c.var.deps, user, parsed.data);
      return webhooksPage(c, { created: { url: webhook.url, secret }, message: 'Webhook added.' }, 201);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return webhooksPage(c, { values, error: error.message }, error.status);
    }
  })
  .post('/admin/webhooks/:id/delete', requireSignedIn('admin'), async (c) => {
    await removeWebhook(c.var.deps, webhookId(c));
    return c.redirect('/admin/webhooks?done=deleted', 303);
  })
  .get('/admin/webhooks/:id', requireSignedIn('admin'), async (c) => {
    const { user, csrfToken } = await signedInSession(c);
    const { webhook, deliveries } = await readWebhookDeliveries(c.var.deps, webhookId(c));
    const message = c.req.query('done') === 'resent' ? 'Queued to be sent again.' : undefined;
    return c.html(
      <WebhookDeliveriesPage
        user={user}
        csrfToken={csrfToken}
        webhook={webhook}
        deliveries={deliveries}
        message={message}
      />,
    );
  })
  .post('/admin/webhooks/:id/deliveries/:deliveryId/resend', requireSignedIn('admin'), async (c) => {
    const id = webhookId(c);
    const deliveryId = DeliveryId.safeParse(c.req.param('deliveryId'));
    if (!deliveryId.success) throw new AppError('not_found', 'There is no such delivery.');
    await resendDelivery(c.var.deps, id, deliveryId.data);
    return c.redirect(`/admin/webhooks/${id}?done=resent`, 303);
  });

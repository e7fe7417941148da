// Admins' webhooks page: register an endpoint (its secret shown once), delete one, and read each endpoint's
// deliveries with every attempt, with a button to send one again.
import type { DeliveryWithAttempts, WebhookSummary } from '../../../lib/db/webhooks';
import type { AuthUser } from '../../../lib/schemas/user';
import { WEBHOOK_EVENTS } from '../../../lib/webhooks/events';
import { CsrfField } from '../../pages/views/viewer-parts';
import { AdminLayout, Notice } from './layout';

export function WebhooksPage({
  user,
  csrfToken,
  webhooks,
  created,
  values,
  message,
  error,
}: {
  user: AuthUser;
  csrfToken: string;
  webhooks: WebhookSummary[];
  created?: { url: string; secret: string };
  values?: { url: string; events: string[] };
  message?: string;
  error?: string;
}) {
  const chosen = new Set(values?.events ?? WEBHOOK_EVENTS);
  return (
    <AdminLayout title="Webhooks" user={user}>
      <h1>Webhooks</h1>
      <Notice message={message} error={error} />
      {created ? (
        <section class="notice" aria-labelledby="new-secret">
          <h2 id="new-secret">Signing secret for {created.url}</h2>
          <p>Copy it now: it is not shown again. Your receiver verifies each delivery's signature with it.</p>
          <p>
            <code>{created.secret}</code>
          </p>
        </section>
      ) : null}
      {webhooks.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Events</th>
              <th scope="col">Newest delivery</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr>
                <td>
                  <a href={`/admin/webhooks/${webhook.id}`}>{webhook.url}</a>
                </td>
                <td>{webhook.events.join(', ')}</td>
                <td>
                  {webhook.lastDelivery
                    ? `${webhook.lastDelivery.status}, ${webhook.lastDelivery.createdAt}`
                    : 'none yet'}
                </td>
                <td>
                  <form method="post" action={`/admin/webhooks/${webhook.id}/delete`}>
                    <CsrfField token={csrfToken} />
                    <button type="submit">Delete</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No webhooks yet.</p>
      )}
      <h2>Add an endpoint</h2>
      <form method="post" action="/admin/webhooks" class="stack">
        <CsrfField token={csrfToken} />
        <label>
          URL
          <input
            type="url"
            name="url"
            required
            maxlength={2000}
            value={values?.url ?? ''}
            placeholder="https://hooks.example.com/lembas"
          />
        </label>
        <fieldset>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <label>
              <input type="checkbox" name="events[]" value={event} checked={chosen.has(event)} /> {event}
            </label>
          ))}
        </fieldset>
        <button type="submit">Add</button>
      </form>
    </AdminLayout>
  );
}

export function WebhookDeliveriesPage({
  user,
  csrfToken,
  webhook,
  deliveries,
  message,
}: {
  user: AuthUser;
  csrfToken: string;
  webhook: { id: number; url: string; events: string[] };
  deliveries: DeliveryWithAttempts[];
  message?: string;
}) {
  return (
    <AdminLayout title="Webhook deliveries" user={user}>
      <h1>Deliveries to {webhook.url}</h1>
      <Notice message={message} />
      <p>
        <a href="/admin/webhooks">All webhooks</a>
      </p>
      {deliveries.length === 0 ? <p>Nothing delivered yet.</p> : null}
      {deliveries.map((delivery) => (
        <section aria-label={`Delivery ${delivery.id}`}>
          <h2>
            {delivery.event}: {delivery.status}
          </h2>
          <p>
            <code>{delivery.id}</code>, {delivery.createdAt}
          </p>
          {delivery.attempts.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Attempted</th>
                  <th scope="col">Status code</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attempts.map((attempt) => (
                  <tr>
                    <td>{attempt.attemptedAt}</td>
                    <td>{attempt.statusCode ?? 'no answer'}</td>
                    <td>{attempt.durationMs} ms</td>
                    <td>{attempt.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <form method="post" action={`/admin/webhooks/${webhook.id}/deliveries/${delivery.id}/resend`}>
            <CsrfField token={csrfToken} />
            <button type="submit">Send again</button>
          </form>
        </section>
      ))}
    </AdminLayout>
  );
}

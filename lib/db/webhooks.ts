// Webhook endpoints, their deliveries and every attempt (migration 0009b).
import type { Sql } from '../clients';
import { iso, type Row } from './rows';

export interface WebhookRecord {
  id: number;
  url: string;
  events: string[];
  secretEncrypted: string;
  createdAt: string;
}

export interface WebhookSummary extends Omit<WebhookRecord, 'secretEncrypted'> {
  /** The newest delivery's status and time, for the list. */
  lastDelivery: { status: string; createdAt: string } | null;
}

export interface DeliveryRecord {
  id: string;
  webhookId: number;
  event: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  createdAt: string;
}

export interface AttemptRecord {
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface DeliveryWithAttempts extends Omit<DeliveryRecord, 'body'> {
  attempts: AttemptRecord[];
}

function rowToWebhook(row: Row): WebhookRecord {
  return {
    id: Number(row.id),
    url: String(row.url),
    events: row.events as string[],
    secretEncrypted: String(row.secret_encrypted),
    createdAt: iso(row.created_at),
  };
}

function rowToDelivery(row: Row): DeliveryRecord {
  return {
    id: String(row.id),
    webhookId: Number(row.webhook_id),
    event: String(row.event),
    body: String(row.body),
    status: row.status as DeliveryRecord['status'],
    createdAt: iso(row.created_at),
  };
}

export async function insertWebhook(
  sql: Sql,
  webhook: { url: string; events: string[]; secretEncrypted: string; createdBy: number },
): Promise<WebhookRecord> {
  const rows = await sql`
    INSERT INTO webhooks (url, events, secret_encrypted, created_by)
    VALUES (${webhook.url}, ${webhook.events}::text[], ${webhook.secretEncrypted}, ${webhook.createdBy})
    RETURNING *`;
  return rowToWebhook(rows[0] as Row);
}

export async function listWebhooks(sql: Sql): Promise<WebhookSummary[]> {
  const rows = await sql`
    SELECT w.*, last.status AS last_status, last.created_at AS last_at
    FROM webhooks w
    LEFT JOIN LATERAL (
      SELECT status, created_at FROM webhook_deliveries d WHERE d.webhook_id = w.id
      ORDER BY created_at DESC, id DESC LIMIT 1
    ) last ON true
    ORDER BY w.id`;
  return rows.map((row) => {
    const { secretEncrypted: _, ...webhook } = rowToWebhook(row);
    return {
      ...webhook,
      lastDelivery: row.last_status ? { status: String(row.last_status), createdAt: iso(row.last_at) } : null,
    };
  });
}

export async function getWebhook(sql: Sql, id: number): Promise<WebhookRecord | null> {
  const rows = await sql`SELECT * FROM webhooks WHERE id = ${id}`;
  return rows[0] ? rowToWebhook(rows[0]) : null;
}

export async function deleteWebhook(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql`DELETE FROM webhooks WHERE id = ${id} RETURNING id`;
  return rows.length > 0;
}

/**
 * One delivery per endpoint that wants this event, in one statement; returns the ids of its deliveries still
 * pending. The event's id makes it idempotent: a redelivered event finds its deliveries and adds no second set.
 */
export async function insertDeliveries(sql: Sql, event: { id: string; type: string; body: string }): Promise<string[]> {
  // The statement's own inserts are invisible to its SELECT of the table, hence the union with what it inserted.
  const rows = await sql`
    WITH inserted AS (
      INSERT INTO webhook_deliveries (id, webhook_id, event, body)
      SELECT ${event.id} || '_' || w.id, w.id, ${event.type}, ${event.body}
      FROM webhooks w WHERE ${event.type} = ANY(w.events)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    )
    SELECT id FROM inserted
    UNION
    SELECT id FROM webhook_deliveries WHERE id LIKE ${event.id} || '\_%' AND status = 'pending'`;
  return rows.map((row) => String(row.id));
}

/** A delivery with its endpoint, for an attempt; null when either was deleted since. */
export async function getDeliveryForAttempt(
  sql: Sql,
  id: string,
): Promise<{ delivery: DeliveryRecord; webhook: WebhookRecord } | null> {
  const rows = await sql`
    SELECT d.id AS d_id, d.webhook_id, d.event, d.body, d.status, d.created_at AS d_created_at, w.*
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ${id}`;
  const row = rows[0];
  if (!row) return null;
  return {
    delivery: rowToDelivery({ ...row, id: row.d_id, created_at: row.d_created_at }),
    webhook: rowToWebhook(row),
  };
}

/** Logs an attempt and sets the delivery's status in one statement. */
export async function recordAttempt(
  sql: Sql,
  deliveryId: string,
  attempt: { statusCode: number | null; durationMs: number; error: string | null },
  status: DeliveryRecord['status'],
): Promise<void> {
  await sql`
    WITH attempt AS (
      INSERT INTO webhook_attempts (delivery_id, status_code, duration_ms, error)
      VALUES (${deliveryId}, ${attempt.statusCode}, ${attempt.durationMs}, ${attempt.error})
    )
    UPDATE webhook_deliveries SET status = ${status} WHERE id = ${deliveryId}`;
}

export async function setDeliveryStatus(sql: Sql, id: string, status: DeliveryRecord['status']): Promise<void> {
  await sql`UPDATE webhook_deliveries SET status = ${status} WHERE id = ${id}`;
}

/** An endpoint's newest deliveries, each with its attempts (oldest first), in one query. */
export async function listDeliveries(sql: Sql, webhookId: number, limit: number): Promise<DeliveryWithAttempts[]> {
  const rows = await sql`
    SELECT d.id, d.webhook_id, d.event, d.status, d.created_at,
           coalesce(json_agg(json_build_object(
             'attemptedAt', a.attempted_at, 'statusCode', a.status_code, 'durationMs', a.duration_ms, 'error', a.error
           ) ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS attempts
    FROM (
      SELECT * FROM webhook_deliveries WHERE webhook_id = ${webhookId} ORDER BY created_at DESC, id DESC LIMIT ${limit}
    ) d
    LEFT JOIN webhook_attempts a ON a.delivery_id = d.id
    GROUP BY d.id, d.webhook_id, d.event, d.status, d.created_at
    ORDER BY d.created_at DESC, d.id DESC`;
  return rows.map((row) => {
    const { body: _, ...delivery } = rowToDelivery({ ...row, body: '' });
    const attempts = (typeof row.attempts === 'string' ? JSON.parse(row.attempts) : row.attempts) as Row[];
    return {
      ...delivery,
      attempts: attempts.map((a) => ({
        attemptedAt: iso(a.attemptedAt),
        statusCode: a.statusCode === null ? null : Number(a.statusCode),
        durationMs: Number(a.durationMs),
        error: a.error === null ? null : String(a.error),
      })),
    };
  });
}

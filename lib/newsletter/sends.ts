// SQL for sending posts to subscribers (migrations 0010 and 0011): a post's send, the ranges it is cut into, and the
// delivery rows that make every mail happen at most once. lib/newsletter/fanout.ts decides when each runs.
import type { Sql } from '../clients';
import { isoOrNull, type Row } from '../db/rows';

export type SendStatus = 'queued' | 'sending' | 'sent' | 'skipped';

export interface SendProgress {
  status: SendStatus;
  /** Subscribers the send is for (counted when it starts; 0 while queued). */
  recipients: number;
  sent: number;
  failed: number;
  createdAt: string | null;
  finishedAt: string | null;
}

export interface BatchRange {
  afterId: number;
  untilId: number;
}

export interface Recipient {
  id: number;
  email: string;
}

export interface Outcome {
  subscriberId: number;
  /** Null when the mail went out; else `CODE: message`. */
  error: string | null;
}

export interface NewsletterPost {
  id: number;
  slug: string;
  title: string;
  excerpt: string;
}

// A subscriber following tags gets a post carrying at least one of them; one following none gets every post.
const AUDIENCE = `
  s.confirmed_at IS NOT NULL
  AND (s.tags = '{}' OR s.tags && ARRAY(
    SELECT t.slug FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = $1))`;

/**
 * Records a post's send when it is first published: queued, or skipped when its author chose not to email it. A
 * send that exists already is left as it is, so a re-publish or an unpublish/publish starts nothing new. Returns
 * the send's status (new or old), or null when the post is not a published post.
 */
export async function openSend(sql: Sql, postId: number): Promise<SendStatus | null> {
  const rows = await sql`
    WITH opened AS (
      INSERT INTO newsletter_sends (post_id, status, finished_at)
      SELECT id, CASE WHEN email_subscribers THEN 'queued' ELSE 'skipped' END,
             CASE WHEN email_subscribers THEN NULL ELSE now() END
      FROM posts WHERE id = ${postId} AND status = 'published' AND type = 'post'
      ON CONFLICT (post_id) DO NOTHING
      RETURNING status
    )
    SELECT status FROM opened
    UNION ALL
    SELECT ns.status FROM newsletter_sends ns JOIN posts p ON p.id = ns.post_id
    WHERE ns.post_id = ${postId} AND p.status = 'published' AND NOT EXISTS (SELECT 1 FROM opened)`;
  return rows[0] ? (rows[0].status as SendStatus) : null;
}

/**
 * Starts a queued send: counts its audience and cuts it into ranges of `size` subscribers (one statement, so two
 * runs of the same job cannot plan twice). A post no longer published stays queued (a re-publish picks it up); one
 * whose author unticked "email subscribers" meanwhile is skipped. Returns the ranges still open after `cursor`, at
 * most `limit`, for a send that is under way; none for any other.
 */
export async function planSend(
  sql: Sql,
  postId: number,
  { size, cursor, limit }: { size: number; cursor: number; limit: number },
): Promise<BatchRange[]> {
  const rows = await sql.query(
    `WITH post AS (
       SELECT id, email_subscribers AS wanted FROM posts WHERE id = $1 AND status = 'published'
     ), audience AS (
       SELECT s.id, (row_number() OVER (ORDER BY s.id) - 1) / $2 AS batch
       FROM subscribers s WHERE EXISTS (SELECT 1 FROM post WHERE wanted) AND ${AUDIENCE}
     ), started AS (
       UPDATE newsletter_sends ns
       SET status = CASE WHEN post.wanted THEN 'sending' ELSE 'skipped' END,
           recipients = CASE WHEN post.wanted THEN (SELECT count(*) FROM audience) ELSE 0 END,
           finished_at = CASE WHEN post.wanted THEN NULL ELSE now() END
       FROM post WHERE ns.post_id = post.id AND ns.status = 'queued'
       RETURNING ns.status
     ), ranges AS (
       SELECT batch, max(id) AS until_id FROM audience GROUP BY batch
     ), planned AS (
       INSERT INTO newsletter_batches (post_id, after_id, until_id)
       SELECT $1, coalesce(lag(until_id) OVER (ORDER BY batch), 0), until_id FROM ranges
       WHERE EXISTS (SELECT 1 FROM started WHERE status = 'sending')
       ON CONFLICT DO NOTHING
       RETURNING after_id, until_id
     )
     SELECT after_id, until_id FROM planned WHERE after_id > $3
     UNION ALL
     SELECT b.after_id, b.until_id FROM newsletter_batches b
     WHERE b.post_id = $1 AND b.finished_at IS NULL AND b.after_id > $3 AND NOT EXISTS (SELECT 1 FROM started)
       AND EXISTS (SELECT 1 FROM newsletter_sends WHERE post_id = $1 AND status = 'sending')
     ORDER BY after_id LIMIT $4`,
    [postId, size, cursor, limit],
  );
  return rows.map((row) => ({ afterId: Number(row.after_id), untilId: Number(row.until_id) }));
}

/**
 * Claims the range's subscribers who have no delivery of this post yet, and again the ones whose last attempt
 * failed with one of `retryCodes` (a refusal that sent nothing), in ONE statement: the delivery row is the claim,
 * so of two consumers running the same range (a redelivered or retried message) only one gets each subscriber.
 * A row left 'claimed' is never claimed again (see lib/newsletter/fanout.ts on why).
 */
export async function claimRecipients(
  sql: Sql,
  postId: number,
  { afterId, untilId }: BatchRange,
  retryCodes: readonly string[],
): Promise<Recipient[]> {
  const rows = await sql.query(
    `WITH fresh AS (
       INSERT INTO newsletter_deliveries (post_id, subscriber_id)
       SELECT $1, s.id FROM subscribers s
       WHERE s.id > $2 AND s.id <= $3 AND ${AUDIENCE}
         -- A post deleted mid-send took its send with it: nobody is claimed (nor a foreign key broken).
         AND EXISTS (SELECT 1 FROM newsletter_sends WHERE post_id = $1)
       ORDER BY s.id
       ON CONFLICT DO NOTHING
       RETURNING subscriber_id
     ), again AS (
       UPDATE newsletter_deliveries d SET status = 'claimed', claimed_at = now(), error = NULL
       WHERE d.post_id = $1 AND d.subscriber_id > $2 AND d.subscriber_id <= $3 AND d.status = 'failed'
         AND split_part(d.error, ':', 1) = ANY($4::text[])
       RETURNING subscriber_id
     )
     SELECT s.id, s.email FROM subscribers s
     WHERE s.id IN (SELECT subscriber_id FROM fresh UNION ALL SELECT subscriber_id FROM again)
     ORDER BY s.id`,
    [postId, afterId, untilId, retryCodes],
  );
  return rows.map((row) => ({ id: Number(row.id), email: String(row.email) }));
}

/**
 * Writes what each claimed mail did, in one transaction; with `finish`, also closes the range and, when it was the
 * last open one, marks the send sent. The send row is locked first, so two ranges finishing at once take turns and
 * the second sees the first: the last one to finish always closes the send.
 */
export async function recordOutcomes(
  sql: Sql,
  postId: number,
  outcomes: Outcome[],
  finish: BatchRange | null,
): Promise<void> {
  const ids = outcomes.map((o) => o.subscriberId);
  const errors = outcomes.map((o) => o.error);
  const queries = [
    sql`
      UPDATE newsletter_deliveries d
      SET status = CASE WHEN o.error IS NULL THEN 'sent' ELSE 'failed' END,
          sent_at = CASE WHEN o.error IS NULL THEN now() END,
          error = o.error
      FROM unnest(${ids}::int[], ${errors}::text[]) AS o (subscriber_id, error)
      WHERE d.post_id = ${postId} AND d.subscriber_id = o.subscriber_id`,
  ];
  if (finish) {
    queries.unshift(sql`SELECT 1 FROM newsletter_sends WHERE post_id = ${postId} FOR UPDATE`);
    queries.push(
      sql`UPDATE newsletter_batches SET finished_at = now()
          WHERE post_id = ${postId} AND after_id = ${finish.afterId} AND finished_at IS NULL`,
      completeSendQuery(sql, postId),
    );
  }
  if (ids.length === 0 && !finish) return;
  await sql.transaction(queries);
}

function completeSendQuery(sql: Sql, postId: number) {
  return sql`
    UPDATE newsletter_sends SET status = 'sent', finished_at = now()
    WHERE post_id = ${postId} AND status = 'sending'
      AND NOT EXISTS (SELECT 1 FROM newsletter_batches WHERE post_id = ${postId} AND finished_at IS NULL)`;
}

/** Marks a send with no open range (an empty audience) sent. */
export async function completeSend(sql: Sql, postId: number): Promise<void> {
  await completeSendQuery(sql, postId);
}

/**
 * A range that kept failing (the dead-letter queue): its subscribers that no attempt claimed get a failed delivery,
 * so the send's count shows them, and the range is closed. Claims already made are left as they are.
 */
export async function abandonRange(sql: Sql, postId: number, range: BatchRange, error: string): Promise<void> {
  await sql.transaction([
    sql`SELECT 1 FROM newsletter_sends WHERE post_id = ${postId} FOR UPDATE`,
    sql.query(
      `INSERT INTO newsletter_deliveries (post_id, subscriber_id, status, error)
       SELECT $1, s.id, 'failed', $4 FROM subscribers s WHERE s.id > $2 AND s.id <= $3 AND ${AUDIENCE}
       ON CONFLICT DO NOTHING`,
      [postId, range.afterId, range.untilId, error],
    ),
    sql`UPDATE newsletter_batches SET finished_at = now()
        WHERE post_id = ${postId} AND after_id = ${range.afterId} AND finished_at IS NULL`,
    completeSendQuery(sql, postId),
  ]);
}

export async function getNewsletterPost(sql: Sql, postId: number): Promise<NewsletterPost | null> {
  const rows = await sql`SELECT id, slug, title, excerpt FROM posts WHERE id = ${postId}`;
  const row = rows[0];
  return row
    ? { id: Number(row.id), slug: String(row.slug), title: String(row.title), excerpt: String(row.excerpt) }
    : null;
}

/**
 * The cron's look after sends (every 5 minutes): claims older than `claimTimeoutMinutes` whose consumer died between
 * claiming and recording become failed deliveries, never mailed again; and the sends that should be moving but
 * are not (a queued one whose job was never enqueued, a started one with open ranges and no claim for a while)
 * are returned, so their job is enqueued again (harmless if it was not lost: claims are exactly-once).
 */
export async function sweepSends(
  sql: Sql,
  {
    claimTimeoutMinutes,
    stalledMinutes,
    interruptedError,
  }: {
    claimTimeoutMinutes: number;
    stalledMinutes: number;
    interruptedError: string;
  },
): Promise<{ interrupted: number; stalled: number[] }> {
  const [interrupted, stalled] = (await sql.transaction([
    sql`
      UPDATE newsletter_deliveries SET status = 'failed', error = ${interruptedError}
      WHERE status = 'claimed' AND claimed_at < now() - ${claimTimeoutMinutes}::int * interval '1 minute'
      RETURNING post_id`,
    sql`
      SELECT ns.post_id FROM newsletter_sends ns JOIN posts p ON p.id = ns.post_id
      WHERE p.status = 'published' AND ns.created_at > now() - interval '2 days'
        AND ns.created_at < now() - ${stalledMinutes}::int * interval '1 minute'
        AND (ns.status = 'queued' OR (ns.status = 'sending' AND NOT EXISTS (
          SELECT 1 FROM newsletter_deliveries d
          WHERE d.post_id = ns.post_id AND d.claimed_at > now() - ${stalledMinutes}::int * interval '1 minute')))
      ORDER BY ns.post_id LIMIT 50`,
  ])) as Row[][];
  return { interrupted: interrupted!.length, stalled: stalled!.map((row) => Number(row.post_id)) };
}

export async function getSendProgress(sql: Sql, postId: number): Promise<SendProgress | null> {
  const rows = await sql`
    SELECT ns.status, ns.recipients, ns.created_at, ns.finished_at,
           count(*) FILTER (WHERE d.status = 'sent') AS sent,
           count(*) FILTER (WHERE d.status = 'failed') AS failed
    FROM newsletter_sends ns LEFT JOIN newsletter_deliveries d ON d.post_id = ns.post_id
    WHERE ns.post_id = ${postId}
    GROUP BY ns.post_id`;
  const row = rows[0];
  if (!row) return null;
  return {
    status: row.status as SendStatus,
    recipients: Number(row.recipients),
    sent: Number(row.sent),
    failed: Number(row.failed),
    createdAt: isoOrNull(row.created_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

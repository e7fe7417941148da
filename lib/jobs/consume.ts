// The jobs queue's consumer (functions/queue.ts hands it each batch): fans blog events out to webhook deliveries,
// makes each delivery attempt, sends IndexNow one request per batch, and mails posts to subscribers (lib/newsletter/
// fanout.ts). A failed attempt is retried by the queue
// with exponential backoff; after the last retry the message goes to the dead-letter queue, which marks it failed.
import type { Deps } from '../context';
import * as webhooksDb from '../db/webhooks';
import { submitToIndexNow } from '../indexnow';
import { buryNewsletterJob, newsletterLetters, runBatchJob, runSendJob } from '../newsletter/fanout';
import { attemptDelivery } from '../webhooks/deliver';
import type { BlogEvent } from '../webhooks/events';
import { enqueueJobs } from './enqueue';
import type { BlogEventMessage, JobMessage } from './messages';

/** wrangler.toml `max_retries` of the jobs queue: attempts are 1 + this. */
export const MAX_RETRIES = 5;
export const DEAD_LETTER_QUEUE = 'lembas-jobs-dead';

/** 30 s, 1, 2, 4, 8 minutes: about a quarter of an hour in all before a delivery is given up. */
export function backoffSeconds(attempt: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempt - 1), 3600);
}

export async function consumeJobs(deps: Deps, batch: MessageBatch<JobMessage>): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return buryJobs(deps, batch);
  const indexNowUrls: string[] = [];
  const indexNowMessages: Message<JobMessage>[] = [];
  const letters = newsletterLetters(deps);
  for (const message of batch.messages) {
    const job = message.body;
    try {
      switch (job.type) {
        case 'blog.event':
          indexNowUrls.push(...(await fanOut(deps, job)));
          message.ack();
          break;
        case 'webhook.delivery': {
          const outcome = await attemptDelivery(deps, job.deliveryId, { final: message.attempts > MAX_RETRIES });
          if (outcome === 'retry') message.retry({ delaySeconds: backoffSeconds(message.attempts) });
          else message.ack();
          break;
        }
        case 'indexnow.submit':
          indexNowUrls.push(...job.urls);
          indexNowMessages.push(message);
          break;
        case 'newsletter.send':
          await runSendJob(deps, job);
          message.ack();
          break;
        case 'newsletter.batch': {
          const outcome = await runBatchJob(deps, job, { final: message.attempts > MAX_RETRIES, letters });
          if (outcome === 'retry') message.retry({ delaySeconds: backoffSeconds(message.attempts) });
          else message.ack();
          break;
        }
      }
    } catch (error) {
      console.warn(`[jobs] ${job.type} failed; retried later`, error);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
  if (indexNowUrls.length > 0) await submitToIndexNow(deps.config, indexNowUrls);
  for (const message of indexNowMessages) message.ack();
}

/**
 * One delivery per endpoint that wants the event, then one queue message each. Idempotent: a redelivered event
 * finds its deliveries already written and sends the pending ones again (a receiver may see a webhook-id twice,
 * which Standard Webhooks tells it to expect). Returns the URLs IndexNow should hear of.
 */
async function fanOut(deps: Deps, { id, event }: BlogEventMessage): Promise<string[]> {
  const deliveryIds = await webhooksDb.insertDeliveries(deps.sql, {
    id,
    type: event.type,
    body: JSON.stringify(event),
  });
  await enqueueJobs(
    deps,
    deliveryIds.map((deliveryId) => ({ type: 'webhook.delivery', deliveryId })),
  );
  return deps.config.INDEXNOW_KEY ? changedUrls(event) : [];
}

function changedUrls(event: BlogEvent): string[] {
  if (event.type === 'comment.created') return [];
  return event.data.previousUrl ? [event.data.url, event.data.previousUrl] : [event.data.url];
}

/** Messages that used up their retries: a delivery among them is marked failed, so the admin shows it. */
async function buryJobs(deps: Deps, batch: MessageBatch<JobMessage>): Promise<void> {
  for (const message of batch.messages) {
    const job = message.body;
    if (job.type === 'webhook.delivery') await webhooksDb.setDeliveryStatus(deps.sql, job.deliveryId, 'failed');
    else if (job.type === 'newsletter.send' || job.type === 'newsletter.batch') await buryNewsletterJob(deps, job);
    else console.warn(`[jobs] ${job.type} given up after ${MAX_RETRIES} retries`);
    message.ack();
  }
}

/** No queue bound: the same work, once, now (lib/jobs/enqueue.ts); nothing is retried. */
export async function runJobsNow(deps: Deps, messages: JobMessage[]): Promise<void> {
  const indexNowUrls: string[] = [];
  const letters = newsletterLetters(deps);
  for (const job of messages) {
    try {
      if (job.type === 'blog.event') indexNowUrls.push(...(await fanOut(deps, job)));
      else if (job.type === 'webhook.delivery') await attemptDelivery(deps, job.deliveryId, { final: true });
      else if (job.type === 'newsletter.send') await runSendJob(deps, job);
      else if (job.type === 'newsletter.batch') await runBatchJob(deps, job, { final: true, letters });
      else indexNowUrls.push(...job.urls);
    } catch (error) {
      console.warn(`[jobs] ${job.type} failed`, error);
    }
  }
  if (indexNowUrls.length > 0) await submitToIndexNow(deps.config, indexNowUrls);
}

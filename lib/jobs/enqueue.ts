// Putting work on the jobs queue. Without a queue binding (a deployment that has not created one), the same
// handlers run right away in the background instead: one attempt each, no retries.
import type { Deps } from '../context';
import type { BlogEvent } from '../webhooks/events';
import type { JobMessage } from './messages';

/** Queue.sendBatch's limit on messages per call. */
const SEND_BATCH_MAX = 100;

export async function enqueueJobs(deps: Deps, messages: JobMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const queue = deps.config.JOBS as Queue<JobMessage> | undefined;
  if (queue) {
    // sendBatch takes at most 100 messages (and 256 KB): a newsletter's fan-out enqueues thousands.
    const chunks: JobMessage[][] = [];
    for (let i = 0; i < messages.length; i += SEND_BATCH_MAX) chunks.push(messages.slice(i, i + SEND_BATCH_MAX));
    await Promise.all(
      chunks.map((chunk) => queue.sendBatch(chunk.map((body) => ({ body, contentType: 'json' as const })))),
    );
    return;
  }
  const { runJobsNow } = await import('./consume');
  deps.cache.waitUntil(runJobsNow(deps, messages));
}

/**
 * Tells the outside about blog changes (webhooks, IndexNow) after the write has committed: in the background, so a
 * writer never waits for it, and a queue that is down costs a log line, never a failed save.
 */
export function emitBlogEvents(deps: Deps, events: (BlogEvent | null)[]): void {
  const messages: JobMessage[] = events
    .filter((event): event is BlogEvent => event !== null)
    .map((event) => ({ type: 'blog.event', id: `msg_${crypto.randomUUID().replaceAll('-', '')}`, event }));
  if (messages.length === 0) return;
  deps.cache.waitUntil(
    enqueueJobs(deps, messages).catch((error) => console.warn('[jobs] could not enqueue blog events', error)),
  );
}

// Everything that travels on the jobs queue (wrangler.toml `lembas-jobs`), one discriminated union: the consumer
// (lib/jobs/consume.ts) switches on `type`, so a new kind of job (a newsletter send) is one more member and one
// more case, checked by the compiler.
import type { BlogEvent } from '../webhooks/events';

export type JobMessage =
  /** Something happened: find the webhooks that want it (one delivery each) and the URLs IndexNow should hear of. */
  | { type: 'blog.event'; id: string; event: BlogEvent }
  /** One attempt at one webhook delivery (retried by the queue with backoff). */
  | { type: 'webhook.delivery'; deliveryId: string }
  /** Changed URLs for IndexNow; the URLs of every such message in a batch go out in one request. */
  | { type: 'indexnow.submit'; urls: string[] }
  /** A post to mail to its subscribers: plan its ranges (once), then one `newsletter.batch` each. `cursor`: the
   *  range to continue after, when one run could not enqueue them all. */
  | { type: 'newsletter.send'; postId: number; cursor?: number }
  /** Claim, mail and record the post's subscribers with ids in (afterId, untilId]. */
  | { type: 'newsletter.batch'; postId: number; afterId: number; untilId: number };

/** Where the `blog.event` id comes from: made when the event is emitted, so every retry and redelivery shares it. */
export type BlogEventMessage = Extract<JobMessage, { type: 'blog.event' }>;

// Sending a post to its subscribers through the jobs queue. Publishing records the post's send and enqueues one
// `newsletter.send`; that job cuts the audience into ranges of BATCH_SIZE subscribers and enqueues one
// `newsletter.batch` per range; each batch claims its subscribers (the delivery row is the claim, written by the
// statement that picks them: lib/newsletter/sends.ts), mails them, and records what happened.
//
// Exactly once, and what "once" costs. A claim is never undone by a retry: a redelivered or retried message, a
// second consumer, a re-publish all find the rows and mail no one twice. The one window left is a consumer that
// dies (CPU limit, eviction, a lost response) after claiming and before recording: its claimed rows may or may
// not have been mailed, and nothing can tell which. We choose at most once there: such a row is never mailed
// again; the cron marks it failed (E_INTERRUPTED) once it is older than any consumer can live, so it shows in the
// editor's failed count instead of vanishing. Re-sending it would mail twice whenever the mail did go out, which
// a reader sees and we cannot take back; the window is one batch of one invocation, and rare. A mail the service
// refused (a rate limit, its own error) went nowhere, so that one is claimed again on the batch's retry.
import type { Deps } from '../context';
import { enqueueJobs } from '../jobs/enqueue';
import type { JobMessage } from '../jobs/messages';
import { newsletterMail, personalizeNewsletter } from '../mail/templates/newsletter';
import type { RenderedMail } from '../mail/layout';
import { MailError, sendMail } from '../mail/send';
import { mailSiteFor } from '../mail/site';
import { postUrl } from '../webhooks/events';
import {
  abandonRange,
  claimRecipients,
  completeSend,
  getNewsletterPost,
  openSend,
  planSend,
  recordOutcomes,
  sweepSends,
  type Outcome,
} from './sends';
import { subscriberUnsubscribeLink } from './unsubscribe';

export type NewsletterSendJob = Extract<JobMessage, { type: 'newsletter.send' }>;
export type NewsletterBatchJob = Extract<JobMessage, { type: 'newsletter.batch' }>;

/**
 * Subscribers per batch message. A consumer invocation gets up to 10 messages (wrangler.toml max_batch_size) and
 * may make 1,000 subrequests on the paid plan; a mail is one, a batch adds two database calls: 10 × 52 leaves room.
 */
export const BATCH_SIZE = 50;
/** Batch messages one `newsletter.send` run enqueues (100 sendBatch calls); a bigger list continues in another. */
const ENQUEUE_PAGE = 10_000;
/** Mails in flight at once: a Worker has six connections open at a time; more just wait. */
const SEND_CONCURRENCY = 6;
/** Refusals that sent nothing and may pass later: the batch is retried with backoff and claims these again. */
export const RETRYABLE_MAIL_CODES = ['E_RATE_LIMIT_EXCEEDED', 'E_INTERNAL_SERVER_ERROR', 'E_SERVICE_UNAVAILABLE'];
/** Longer than a queue consumer may run (15 minutes of wall time): a claim this old has no living consumer. */
export const CLAIM_TIMEOUT_MINUTES = 20;
/** A send with no claim for this long (and a queued one this old) gets its job enqueued again by the cron. */
const STALLED_MINUTES = 20;
export const INTERRUPTED_ERROR =
  'E_INTERRUPTED: the consumer stopped between claiming and recording this mail; it may have gone out, so it is not sent again';
export const GAVE_UP_ERROR = 'E_GAVE_UP: the batch kept failing and went to the dead-letter queue';

/** After a post is first published: record its send and, unless its author chose not to email it, enqueue it. */
export async function startNewsletter(deps: Deps, postId: number): Promise<void> {
  const status = await openSend(deps.sql, postId);
  if (status === 'queued') await enqueueJobs(deps, [{ type: 'newsletter.send', postId }]);
}

/** `newsletter.send`: plan the ranges (once) and enqueue a batch message for each one still open. */
export async function runSendJob(deps: Deps, job: NewsletterSendJob): Promise<void> {
  const ranges = await planSend(deps.sql, job.postId, {
    size: BATCH_SIZE,
    cursor: job.cursor ?? -1,
    limit: ENQUEUE_PAGE + 1,
  });
  if (ranges.length === 0) {
    // Nobody to mail (or nothing left to enqueue): a started send with no open range is done.
    await completeSend(deps.sql, job.postId);
    return;
  }
  const page = ranges.slice(0, ENQUEUE_PAGE);
  const messages: JobMessage[] = page.map((range) => ({ type: 'newsletter.batch', postId: job.postId, ...range }));
  if (ranges.length > ENQUEUE_PAGE) {
    messages.push({ type: 'newsletter.send', postId: job.postId, cursor: page[page.length - 1]!.afterId });
  }
  await enqueueJobs(deps, messages);
}

/** The mail of each post a consumer invocation sends, built once per invocation and post. */
/** A post's mail and the site name it is sent under (the sender's display name). */
export type Letter = RenderedMail & { siteName: string };
export type Letters = (postId: number) => Promise<Letter | null>;

export function newsletterLetters(deps: Deps): Letters {
  const built = new Map<number, Promise<Letter | null>>();
  return (postId) => {
    let letter = built.get(postId);
    if (!letter) {
      // The blog as its settings name it, as every other mail does (SITE_NAME is only the default).
      letter = Promise.all([getNewsletterPost(deps.sql, postId), mailSiteFor(deps)]).then(([post, site]) =>
        post
          ? {
              ...newsletterMail({
                site,
                postTitle: post.title,
                excerpt: post.excerpt,
                postLink: postUrl(deps.config.SITE_URL, post.slug),
              }),
              siteName: site.name,
            }
          : null,
      );
      letter.catch(() => built.delete(postId));
      built.set(postId, letter);
    }
    return letter;
  };
}

/**
 * `newsletter.batch`: claim, mail, record. 'retry' when the mail service refused some with a passing error and
 * attempts are left: those rows are claimed again by the retry, the others are done. On the last attempt the
 * range is closed whatever happened.
 */
export async function runBatchJob(
  deps: Deps,
  job: NewsletterBatchJob,
  { final, letters }: { final: boolean; letters: Letters },
): Promise<'done' | 'retry'> {
  const range = { afterId: job.afterId, untilId: job.untilId };
  // The mail first: nothing that can fail stands between a claim and its sending, but the consumer's own death.
  const letter = await letters(job.postId);
  const recipients = letter ? await claimRecipients(deps.sql, job.postId, range, RETRYABLE_MAIL_CODES) : [];
  const outcomes: Outcome[] = [];
  await eachLimited(recipients, SEND_CONCURRENCY, async (recipient) => {
    outcomes.push({ subscriberId: recipient.id, error: await mailOne(deps, letter!, recipient) });
  });
  const retry = !final && outcomes.some((o) => o.error !== null && RETRYABLE_MAIL_CODES.includes(codeOf(o.error)));
  await recordOutcomes(deps.sql, job.postId, outcomes, retry ? null : range);
  return retry ? 'retry' : 'done';
}

/** Null when the mail was handed over; else why not, as `CODE: message`. Never throws: one bad address stops no one. */
async function mailOne(deps: Deps, letter: Letter, recipient: { id: number; email: string }) {
  try {
    const link = await subscriberUnsubscribeLink(deps.config, recipient.id);
    await sendMail(deps, { to: recipient.email, siteName: letter.siteName, ...personalizeNewsletter(letter, link) });
    return null;
  } catch (error) {
    if (error instanceof MailError) return `${error.code}: ${error.message}`.slice(0, 500);
    return `E_UNEXPECTED: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
  }
}

function codeOf(error: string): string {
  return error.split(':', 1)[0]!;
}

/** A batch that used up its retries (the dead-letter queue): who it never reached is recorded as failed. */
export async function buryNewsletterJob(deps: Deps, job: NewsletterSendJob | NewsletterBatchJob): Promise<void> {
  if (job.type === 'newsletter.batch') {
    await abandonRange(deps.sql, job.postId, { afterId: job.afterId, untilId: job.untilId }, GAVE_UP_ERROR);
  } else {
    // The cron enqueues a stalled send again; nothing is lost by waiting for it.
    console.warn(`[newsletter] the send of post ${job.postId} could not be started; the cron will try again`);
  }
}

/** The cron's part (every 5 minutes): settle abandoned claims and restart sends that stopped moving. */
export async function sweepNewsletters(deps: Deps): Promise<{ interrupted: number; restarted: number }> {
  const { interrupted, stalled } = await sweepSends(deps.sql, {
    claimTimeoutMinutes: CLAIM_TIMEOUT_MINUTES,
    stalledMinutes: STALLED_MINUTES,
    interruptedError: INTERRUPTED_ERROR,
  });
  await enqueueJobs(
    deps,
    stalled.map((postId) => ({ type: 'newsletter.send', postId })),
  );
  return { interrupted, restarted: stalled.length };
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

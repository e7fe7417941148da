// Sending a post to subscribers through the jobs queue: publishing mails each confirmed subscriber who follows the
// post once (the real Miniflare queue, the local mailbox), and no redelivery, second consumer, retry, re-publish or
// interrupted consumer ever mails anyone twice. Each test's subscribers follow a tag of its own, so the posts other
// tests publish never reach them, and assertions look only at this test's addresses.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import type { JobMessage } from '../lib/jobs/messages';
import { INTERRUPTED_ERROR, GAVE_UP_ERROR, sweepNewsletters } from '../lib/newsletter/fanout';
import { claimRecipients, getSendProgress, openSend, planSend } from '../lib/newsletter/sends';
import { subscriberUnsubscribeLink } from '../lib/newsletter/unsubscribe';
import { createDeps } from '../lib/context';
import { loadConfig } from '../lib/env';
import { publishDuePosts } from '../lib/posts';
import { adminBrowserAs } from './admin-browser';
import { bearer, call, createPost, createUser, jsonRequest, testDeps, unique } from './helpers';
import { failMailTo, mailTo, type StoredMessage } from './mailbox';

const sql = () => testDeps().sql;

/** A subscriber straight in the database (section 1's sign-up and confirmation are tested on their own). */
async function subscriber(tags: string[], { confirmed = true } = {}): Promise<{ id: number; email: string }> {
  const email = `${unique('sub')}@example.com`;
  const rows = await sql()`
    INSERT INTO subscribers (email, tags, confirmed_at)
    VALUES (${email}, ${tags}::text[], ${confirmed ? new Date().toISOString() : null}::timestamptz)
    RETURNING id`;
  return { id: Number(rows[0]!.id), email };
}

/** A published post carrying a tag of the test's own, written to the database without announcing it. */
async function quietPost(tag: string) {
  const title = unique('Letter');
  const post = await createPost({ title, tags: [{ slug: tag, name: tag }] });
  return { ...post, title };
}

/** This test's mail with this subject to this address. */
async function lettersTo(address: string, subject: string): Promise<StoredMessage[]> {
  return (await mailTo(address)).filter((message) => message.subject === subject);
}

/** Waits (at most ~20 s) until `check` passes: the real queue runs on its own time. */
async function eventually(check: () => Promise<void>): Promise<void> {
  for (let i = 0; ; i += 1) {
    try {
      return await check();
    } catch (error) {
      if (i >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function batchOf(messages: JobMessage[], { queue = 'lembas-jobs', attempts = 1 } = {}) {
  return createMessageBatch<JobMessage>(
    queue,
    messages.map((body) => ({ id: unique('m'), timestamp: new Date(), attempts, body })),
  );
}

/** Runs the Worker's queue handler on a batch, as the queue would, and returns what it acked and retried. */
async function consume(batch: MessageBatch<JobMessage>) {
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** The post's send started by hand (what `newsletter.send` does, minus enqueueing): its ranges. */
async function started(postId: number) {
  expect(await openSend(sql(), postId)).toBe('queued');
  return planSend(sql(), postId, { size: 50, cursor: -1, limit: 100_000 });
}

/** Every range's batch message (other tests' subscribers who follow every post are in the audience too). */
function batchesOf(postId: number, ranges: { afterId: number; untilId: number }[]): JobMessage[] {
  return ranges.map((range) => ({ type: 'newsletter.batch', postId, ...range }));
}

async function deliveryOf(postId: number, subscriberId: number) {
  const rows = await sql()`
    SELECT status, error FROM newsletter_deliveries WHERE post_id = ${postId} AND subscriber_id = ${subscriberId}`;
  return rows[0] ? { status: String(rows[0].status), error: rows[0].error as string | null } : null;
}

describe('publishing a post', () => {
  it('mails each confirmed follower once through the queue, with a one-click unsubscribe', async () => {
    const tag = unique('news');
    const [first, second] = [await subscriber([tag]), await subscriber([tag])];
    const otherTag = await subscriber([unique('other')]);
    const pending = await subscriber([tag], { confirmed: false });
    const headers = await bearer(await createUser({ role: 'author' }));
    const title = unique('Fresh letter');
    const response = await call(
      '/api/posts',
      jsonRequest(
        'POST',
        { title, markdown: 'Hello, readers.\n\nMore below.', tags: [tag], status: 'published' },
        headers,
      ),
    );
    expect(response.status).toBe(201);
    const post = await response.json<{ id: number; slug: string }>();

    for (const reader of [first!, second!]) {
      await eventually(async () => expect(await lettersTo(reader.email, title)).toHaveLength(1));
      const [letter] = await lettersTo(reader.email, title);
      const link = await subscriberUnsubscribeLink(loadConfig(env), reader.id);
      expect(letter!.headers['List-Unsubscribe']).toBe(`<${link}>`);
      expect(letter!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(letter!.text).toContain(link);
      expect(letter!.html).toContain(link.replaceAll('&', '&amp;'));
      expect(letter!.text).toContain(`https://blog.example/posts/${post.slug}`);
      expect(letter!.text).toContain('Hello, readers.');
    }
    await eventually(async () => expect((await getSendProgress(sql(), post.id))?.status).toBe('sent'));
    expect(await deliveryOf(post.id, first!.id)).toEqual({ status: 'sent', error: null });
    expect(await lettersTo(otherTag.email, title)).toEqual([]);
    expect(await lettersTo(pending.email, title)).toEqual([]);
    expect(await deliveryOf(post.id, otherTag.id)).toBeNull();

    // Unpublish, publish again, run the whole send once more by hand: nobody gets a second mail.
    let version = (await (await call(`/api/posts/${post.id}`, { headers })).json<{ version: number }>()).version;
    for (const status of ['draft', 'published']) {
      const patched = await call(`/api/posts/${post.id}`, jsonRequest('PATCH', { version, status }, headers));
      expect(patched.status).toBe(200);
      version = (await patched.json<{ version: number }>()).version;
    }
    expect(await openSend(sql(), post.id)).toBe('sent');
    await consume(batchOf([{ type: 'newsletter.send', postId: post.id }]));
    const ranges = await sql()`SELECT after_id, until_id FROM newsletter_batches WHERE post_id = ${post.id}`;
    await consume(
      batchOf(
        ranges.map((r) => ({
          type: 'newsletter.batch',
          postId: post.id,
          afterId: Number(r.after_id),
          untilId: Number(r.until_id),
        })),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const reader of [first!, second!]) expect(await lettersTo(reader.email, title)).toHaveLength(1);
  });

  it('mails a scheduled post when the cron publishes it', async () => {
    const tag = unique('cron');
    const reader = await subscriber([tag]);
    const title = unique('Scheduled letter');
    const post = await createPost({
      title,
      status: 'scheduled',
      publishedAt: new Date(Date.now() - 60_000).toISOString(),
      tags: [{ slug: tag, name: tag }],
    });
    const background: Promise<unknown>[] = [];
    const deps = createDeps(loadConfig(env), { waitUntil: (promise) => background.push(promise) });
    expect(await publishDuePosts(deps)).toContain(post.slug);
    await Promise.all(background);
    await eventually(async () => expect(await lettersTo(reader.email, title)).toHaveLength(1));
    await eventually(async () => expect((await getSendProgress(sql(), post.id))?.status).toBe('sent'));
  });

  it('mails nobody when its author chose not to email it', async () => {
    const tag = unique('optout');
    const reader = await subscriber([tag]);
    const headers = await bearer(await createUser({ role: 'author' }));
    const title = unique('Quiet post');
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Shh.', tags: [tag], emailSubscribers: false }, headers),
    );
    const draft = await created.json<{ id: number; version: number; emailSubscribers: boolean }>();
    expect(draft.emailSubscribers).toBe(false);
    expect((await call(`/api/posts/${draft.id}/newsletter`, { headers })).status).toBe(404);
    const published = await call(
      `/api/posts/${draft.id}`,
      jsonRequest('PATCH', { version: draft.version, status: 'published' }, headers),
    );
    expect(published.status).toBe(200);
    const status = await call(`/api/posts/${draft.id}/newsletter`, { headers });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ status: 'skipped', recipients: 0, sent: 0, failed: 0 });
    // Ticking it afterwards changes nothing: the choice is made at the first publish.
    const ticked = await call(
      `/api/posts/${draft.id}`,
      jsonRequest('PATCH', { version: draft.version + 1, emailSubscribers: true }, headers),
    );
    expect(await ticked.json()).toMatchObject({ emailSubscribers: true });
    expect(await openSend(sql(), draft.id)).toBe('skipped');
    await consume(batchOf([{ type: 'newsletter.send', postId: draft.id }]));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await lettersTo(reader.email, title)).toEqual([]);
    expect(await deliveryOf(draft.id, reader.id)).toBeNull();
  });
});

describe('the newsletter consumer', () => {
  it('mails each subscriber once when the same batch comes twice, and when two consumers run it at once', async () => {
    const tag = unique('twice');
    const readers = [await subscriber([tag]), await subscriber([tag]), await subscriber([tag])];
    const post = await quietPost(tag);
    const ranges = await started(post.id);
    const messages = batchesOf(post.id, ranges);
    expect(messages.length).toBeGreaterThan(0);

    const [a, b] = await Promise.all([consume(batchOf(messages)), consume(batchOf(messages))]);
    expect(a.explicitAcks).toHaveLength(messages.length);
    expect(b.explicitAcks).toHaveLength(messages.length);
    const again = await consume(batchOf(messages, { attempts: 2 }));
    expect(again.explicitAcks).toHaveLength(messages.length);

    for (const reader of readers) {
      expect(await lettersTo(reader.email, post.title)).toHaveLength(1);
      expect(await deliveryOf(post.id, reader.id)).toEqual({ status: 'sent', error: null });
    }
  });

  it('follows tags: a subscriber following another tag gets nothing, one following none gets everything', async () => {
    const tag = unique('tagged');
    const follower = await subscriber([tag, unique('also')]);
    const elsewhere = await subscriber([unique('elsewhere')]);
    const everything = await subscriber([]);
    const post = await quietPost(tag);
    const ranges = await started(post.id);
    await consume(batchOf(batchesOf(post.id, ranges)));
    expect(await lettersTo(follower.email, post.title)).toHaveLength(1);
    expect(await lettersTo(everything.email, post.title)).toHaveLength(1);
    expect(await lettersTo(elsewhere.email, post.title)).toEqual([]);
    expect(await deliveryOf(post.id, elsewhere.id)).toBeNull();
  });

  it('records a refused mail as failed and still mails the others', async () => {
    const tag = unique('refused');
    const [bad, good] = [await subscriber([tag]), await subscriber([tag])];
    await failMailTo(bad.email, 'E_DELIVERY_FAILED');
    const post = await quietPost(tag);
    const messages = batchesOf(post.id, await started(post.id));
    const result = await consume(batchOf(messages));
    expect(result.explicitAcks).toHaveLength(messages.length);
    expect(result.retryMessages).toEqual([]);
    expect(await deliveryOf(post.id, bad.id)).toMatchObject({ status: 'failed' });
    expect((await deliveryOf(post.id, bad.id))!.error).toMatch(/^E_DELIVERY_FAILED: /);
    expect(await lettersTo(good.email, post.title)).toHaveLength(1);
    expect(await lettersTo(bad.email, post.title)).toEqual([]);
  });

  it('retries a passing refusal with backoff, claiming only that one again, and gives up on the last attempt', async () => {
    const tag = unique('limited');
    const [limited, fine] = [await subscriber([tag]), await subscriber([tag])];
    await failMailTo(limited.email, 'E_RATE_LIMIT_EXCEEDED');
    const post = await quietPost(tag);
    const messages = batchesOf(post.id, await started(post.id));
    const first = await consume(batchOf(messages));
    expect(first.retryMessages).toHaveLength(1);
    expect(await deliveryOf(post.id, limited.id)).toMatchObject({ status: 'failed' });
    expect(await lettersTo(fine.email, post.title)).toHaveLength(1);

    // The address works again (here: the subscriber changed it): the retry mails them, and only them.
    const fixed = `${unique('fixed')}@example.com`;
    await sql()`UPDATE subscribers SET email = ${fixed} WHERE id = ${limited.id}`;
    const second = await consume(batchOf(messages, { attempts: 2 }));
    expect(second.explicitAcks).toHaveLength(messages.length);
    expect(await lettersTo(fixed, post.title)).toHaveLength(1);
    expect(await lettersTo(fine.email, post.title)).toHaveLength(1);
    expect(await deliveryOf(post.id, limited.id)).toEqual({ status: 'sent', error: null });
    expect((await getSendProgress(sql(), post.id))?.status).toBe('sent');

    // A refusal that keeps coming: on the last attempt (1 + max_retries) the batch is acked and the row stays failed.
    const stuck = await subscriber([tag]);
    await failMailTo(stuck.email, 'E_RATE_LIMIT_EXCEEDED');
    const later = await quietPost(tag);
    const laterMessages = batchesOf(later.id, await started(later.id));
    const last = await consume(batchOf(laterMessages, { attempts: 6 }));
    expect(last.explicitAcks).toHaveLength(laterMessages.length);
    expect(await deliveryOf(later.id, stuck.id)).toMatchObject({ status: 'failed' });
  });

  it('never mails a claim whose consumer died before recording it, and the cron marks it failed', async () => {
    const tag = unique('crash');
    const readers = [await subscriber([tag]), await subscriber([tag])];
    const post = await quietPost(tag);
    const ranges = await started(post.id);
    const messages = batchesOf(post.id, ranges);
    // A consumer claims the ranges and dies before mailing anyone.
    const claimed: number[] = [];
    for (const range of ranges) claimed.push(...(await claimRecipients(sql(), post.id, range, [])).map((r) => r.id));
    expect(claimed).toEqual(expect.arrayContaining(readers.map((r) => r.id)));
    // The queue delivers the message again: the claimed ones are not mailed; the range closes.
    const redelivered = await consume(batchOf(messages, { attempts: 2 }));
    expect(redelivered.explicitAcks).toHaveLength(messages.length);
    for (const reader of readers) expect(await lettersTo(reader.email, post.title)).toEqual([]);
    expect(await deliveryOf(post.id, readers[0]!.id)).toMatchObject({ status: 'claimed' });

    // Older than any consumer lives: the cron settles it as failed, and still nobody is mailed.
    await sql()`UPDATE newsletter_deliveries SET claimed_at = now() - interval '1 hour' WHERE post_id = ${post.id}`;
    await sweepNewsletters(testDeps());
    for (const reader of readers) {
      expect(await deliveryOf(post.id, reader.id)).toEqual({ status: 'failed', error: INTERRUPTED_ERROR });
      expect(await lettersTo(reader.email, post.title)).toEqual([]);
    }
    expect(await getSendProgress(sql(), post.id)).toMatchObject({ status: 'sent' });
  });

  it('starts again, from the cron, a send whose messages were lost', async () => {
    const tag = unique('lost');
    const reader = await subscriber([tag]);
    const queued = await quietPost(tag);
    const planned = await quietPost(tag);
    // One send whose newsletter.send never reached the queue, one planned whose batch messages never did.
    expect(await openSend(sql(), queued.id)).toBe('queued');
    expect((await started(planned.id)).length).toBeGreaterThan(0);
    await sql()`UPDATE newsletter_sends SET created_at = now() - interval '30 minutes'
                WHERE post_id IN (${queued.id}, ${planned.id})`;
    const swept = await sweepNewsletters(testDeps());
    expect(swept.restarted).toBeGreaterThanOrEqual(2);
    for (const post of [queued, planned]) {
      await eventually(async () => expect(await lettersTo(reader.email, post.title)).toHaveLength(1));
      await eventually(async () => expect((await getSendProgress(sql(), post.id))?.status).toBe('sent'));
    }
  });

  it('records the subscribers of a batch that went to the dead-letter queue as failed, and closes the send', async () => {
    const tag = unique('dead');
    const reader = await subscriber([tag]);
    const post = await quietPost(tag);
    const messages = batchesOf(post.id, await started(post.id));
    const result = await consume(batchOf(messages, { queue: 'lembas-jobs-dead', attempts: 6 }));
    expect(result.explicitAcks).toHaveLength(messages.length);
    expect(await deliveryOf(post.id, reader.id)).toEqual({ status: 'failed', error: GAVE_UP_ERROR });
    expect(await lettersTo(reader.email, post.title)).toEqual([]);
    expect((await getSendProgress(sql(), post.id))?.status).toBe('sent');
  });
});

describe("the send's status", () => {
  it('is for those who may edit the post', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id });
    expect(await openSend(sql(), post.id)).toBe('queued');
    const own = await call(`/api/posts/${post.id}/newsletter`, { headers: await bearer(author) });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ status: 'queued', sent: 0, failed: 0 });
    const editor = await call(`/api/posts/${post.id}/newsletter`, {
      headers: await bearer(await createUser({ role: 'editor' })),
    });
    expect(editor.status).toBe(200);
    const other = await call(`/api/posts/${post.id}/newsletter`, {
      headers: await bearer(await createUser({ role: 'author' })),
    });
    expect(other.status).toBe(403);
    const reader = await call(`/api/posts/${post.id}/newsletter`, {
      headers: await bearer(await createUser({ role: 'reader' })),
    });
    expect(reader.status).toBe(403);
    expect((await call(`/api/posts/${post.id}/newsletter`)).status).toBe(401);
    expect((await call('/api/posts/0/newsletter', { headers: await bearer(author) })).status).toBe(422);
  });
});

describe('the editor', () => {
  const fields = (tag: string, title: string) => ({
    title,
    slug: unique('letter'),
    tags: tag,
    markdown: 'From the editor.',
    emailSubscribersShown: '1',
  });

  it('offers "Email this post to subscribers", ticked, until the first publish; unticked, nobody is mailed', async () => {
    const author = await adminBrowserAs('author');
    const form = await (await author.get('/admin/posts/new')).text();
    expect(form).toMatch(/<input type="checkbox" name="emailSubscribers" value="on" checked/);

    const tag = unique('editor-quiet');
    const reader = await subscriber([tag]);
    const title = unique('Unticked');
    const saved = await author.post('/admin/posts', { ...fields(tag, title), intent: 'publish' });
    expect(saved.status).toBe(303);
    const page = await (await author.get(saved.headers.get('location')!)).text();
    expect(page).toContain('Newsletter: not emailed');
    expect(page).not.toContain('name="emailSubscribers"');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await lettersTo(reader.email, title)).toEqual([]);
  });

  it("shows the send's progress once published with the box ticked", async () => {
    const author = await adminBrowserAs('author');
    const tag = unique('editor-sent');
    const reader = await subscriber([tag]);
    const title = unique('Ticked');
    const saved = await author.post('/admin/posts', {
      ...fields(tag, title),
      emailSubscribers: 'on',
      intent: 'publish',
    });
    expect(saved.status).toBe(303);
    await eventually(async () => expect(await lettersTo(reader.email, title)).toHaveLength(1));
    const edit = saved.headers.get('location')!;
    await eventually(async () =>
      expect(await (await author.get(edit)).text()).toMatch(/Newsletter: sent to [1-9]\d* of [1-9]\d* subscribers/),
    );
  });

  it('gives the editor the newsletter line to read again while the send runs, and to its writers only', async () => {
    const author = await adminBrowserAs('author');
    const post = await createPost({ authorId: author.user.id });
    expect(await openSend(sql(), post.id)).toBe('queued');
    const page = await (await author.get(`/admin/posts/${post.id}/edit`)).text();
    expect(page).toContain(`data-newsletter-poll="/admin/posts/${post.id}/newsletter"`);
    const line = await author.get(`/admin/posts/${post.id}/newsletter`);
    expect(line.status).toBe(200);
    expect(line.headers.get('cache-control')).toContain('no-store');
    expect(await line.json()).toEqual({ state: 'Newsletter: queued', running: true });

    await sql()`UPDATE newsletter_sends SET status = 'sent' WHERE post_id = ${post.id}`;
    expect(await (await author.get(`/admin/posts/${post.id}/newsletter`)).json()).toMatchObject({ running: false });
    expect(await (await author.get(`/admin/posts/${post.id}/edit`)).text()).not.toContain('data-newsletter-poll');

    const other = await adminBrowserAs('author');
    // As its edit page: another author learns nothing of the post.
    expect((await other.get(`/admin/posts/${post.id}/newsletter`)).status).toBe(404);
    const unsent = await createPost({ authorId: author.user.id });
    expect(await (await author.get(`/admin/posts/${unsent.id}/newsletter`)).json()).toEqual({
      state: null,
      running: false,
    });
  });
});

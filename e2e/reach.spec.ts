// Reaching readers and other systems, in a browser: a visitor subscribes by email, confirms through the link read
// from the local mailbox, gets the next post the demo admin publishes, unsubscribes with the mail's link and does not
// get the one after; and a webhook endpoint registered in /admin/webhooks hears of a post published in the editor,
// with a Standard Webhooks signature that verifies under the secret the page showed once. The receiver is started by
// this test (`npm run dev` lets webhooks reach local addresses).
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type Receiver, type RecordedRequest } from '../dev/standins/receiver';
import { assertAccessible } from './axe';
import type { StoredMessage } from '../dev/standins/mailbox-message';
import { asDemoAdmin, url, visit } from './browser';

const MAILBOX = process.env.E2E_MAILBOX_URL ?? `http://127.0.0.1:${process.env.LEMBAS_MAIL_PORT ?? 8792}`;

async function mailTo(address: string): Promise<StoredMessage[]> {
  return (await (await fetch(`${MAILBOX}/messages?to=${encodeURIComponent(address)}`)).json()) as StoredMessage[];
}

/** The newest mail to the address whose subject matches, waiting for it (the newsletter goes through the queue). */
async function awaitMail(address: string, subject: RegExp): Promise<StoredMessage> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const found = (await mailTo(address)).find((message) => subject.test(message.subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`no mail matching ${subject} to ${address} reached the mailbox at ${MAILBOX}`);
}

/** The link in a mail's text part whose path is `path`, opened on the address the suite serves. */
function linkIn(message: StoredMessage, path: string): string {
  const link = message.text.match(/https?:\/\/\S+/g)?.find((candidate) => new URL(candidate).pathname === path);
  assert.ok(link, `no ${path} link in: ${message.text}`);
  const target = new URL(link);
  return url(target.pathname + target.search);
}

/** The Standard Webhooks check, written from the specification rather than with our own signing code. */
function signatureVerifies(secret: string, delivery: RecordedRequest): boolean {
  const id = delivery.headers['webhook-id'];
  const timestamp = delivery.headers['webhook-timestamp'];
  const signatures = delivery.headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function recordedAt(receiver: Receiver, prefix: string): Promise<RecordedRequest[]> {
  const answer = await fetch(`${receiver.url}/recorded?prefix=${encodeURIComponent(prefix)}`);
  return (await answer.json()) as RecordedRequest[];
}

/** Subscribes the address through the /subscribe form and confirms it through the mailed link. */
async function subscribe(address: string): Promise<void> {
  await visit('desktop', async (page) => {
    await page.goto(url('/subscribe'));
    await assertAccessible(page);
    const form = page.locator('main form[action="/subscribe"]');
    await form.locator('input[name="email"]').fill(address);
    await form.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const confirmation = await awaitMail(address, /confirm/i);
    await page.goto(linkIn(confirmation, '/subscribe/confirm'));
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    await assertAccessible(page);
  });
}

async function publish(title: string, markdown: string): Promise<void> {
  await visit('desktop', async (page, _problems, context) => {
    await asDemoAdmin(page, context, '/admin/posts/new');
    await page.locator('form.editor input[name="title"]').fill(title);
    // Tagged as the demo's posts are: the public site's walk (site.spec.ts) follows the newest post to its tag.
    await page.locator('form.editor input[name="tags"]').fill('news');
    await page.locator('form.editor textarea[name="markdown"]').fill(markdown);
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/edit\?saved=/);
  });
}

describe('email subscriptions', () => {
  it('mail the next post to a confirmed subscriber, and none after they unsubscribe with the mailed link', async () => {
    const run = Date.now().toString(36);
    const reader = `follower-${run}@example.com`;
    // A second subscriber who stays: when the third post reaches them, the send is done, and the reader's inbox
    // can be judged without guessing how long to wait.
    const witness = `witness-${run}@example.com`;
    await subscribe(reader);
    await subscribe(witness);

    const first = `Newsletter one ${run}`;
    await publish(first, 'The first post our follower gets by email.');
    const newsletter = await awaitMail(reader, new RegExp(first));
    assert.match(newsletter.headers['List-Unsubscribe'] ?? '', /^<https?:\/\/\S+>$/);
    assert.equal(newsletter.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.match(newsletter.html, new RegExp(first));

    await visit('desktop', async (page) => {
      const unsubscribeLink = newsletter.text.match(/https?:\/\/\S+/g)?.find((link) => /unsubscribe/.test(link));
      assert.ok(unsubscribeLink, `no visible unsubscribe link in: ${newsletter.text}`);
      const target = new URL(unsubscribeLink);
      await page.goto(url(target.pathname + target.search));
      await assertAccessible(page);
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    });

    const second = `Newsletter two ${run}`;
    await publish(second, 'Only the witness gets this one.');
    await awaitMail(witness, new RegExp(second));
    const toReader = (await mailTo(reader)).filter((message) => message.subject.includes(`Newsletter `));
    assert.deepEqual(
      toReader.map((message) => message.subject),
      [first],
      'the reader got the first post once, and nothing after unsubscribing',
    );
  });
});

describe('webhooks', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('delivers post.published, signed with the secret shown once, to an endpoint added in the admin', async () => {
    const run = Date.now().toString(36);
    const hookPath = `/hooks/e2e-${run}`;
    await visit('desktop', async (page, _problems, context) => {
      await asDemoAdmin(page, context, '/admin/webhooks');
      await assertAccessible(page);
      const form = page.locator('form[action="/admin/webhooks"]');
      await form.locator('input[name="url"]').fill(`${receiver.url}${hookPath}`);
      for (const box of await form.locator('input[name="events[]"]').all()) {
        if ((await box.getAttribute('value')) !== 'post.published') await box.uncheck();
      }
      await form.getByRole('button', { name: 'Add' }).click();
      const secret = (await page.locator('#new-secret ~ p code').textContent())?.trim() ?? '';
      assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/, 'the new endpoint page shows its signing secret');
      await assertAccessible(page);
      await page.goto(url('/admin/webhooks'));
      assert.equal(await page.locator('#new-secret').count(), 0, 'the secret is shown only once');

      const title = `Webhook news ${run}`;
      await page.goto(url('/admin/posts/new'));
      await page.locator('form.editor input[name="title"]').fill(title);
      await page.locator('form.editor input[name="tags"]').fill('news');
      await page.locator('form.editor textarea[name="markdown"]').fill('Heard by a receiver far away.');
      await page.getByRole('button', { name: 'Publish now' }).click();
      await page.waitForURL(/\/admin\/posts\/\d+\/edit\?saved=/);

      let deliveries: RecordedRequest[] = [];
      // Through the local queue (a batch waits up to a second), then one HTTP attempt.
      for (let attempt = 0; attempt < 100 && deliveries.length === 0; attempt++) {
        deliveries = await recordedAt(receiver, hookPath);
        if (deliveries.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(deliveries.length, 1, 'one delivery reached the receiver');
      const [delivery] = deliveries;
      assert.ok(signatureVerifies(secret, delivery!), 'its webhook-signature verifies under the shown secret');
      const body = JSON.parse(delivery!.body) as { type: string; data: { title?: string } };
      assert.equal(body.type, 'post.published');
      assert.equal(body.data.title, title);
      const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
      assert.equal(signatureVerifies(otherSecret, delivery!), false, 'under another secret it does not verify');
      assert.equal(
        signatureVerifies(secret, { ...delivery!, body: `${delivery!.body} ` }),
        false,
        'nor with a changed body',
      );

      await page.goto(url('/admin/webhooks'));
      await page.getByRole('link', { name: `${receiver.url}${hookPath}` }).click();
      await page.getByText('post.published').first().waitFor();
      await assertAccessible(page);
    });
  });
});

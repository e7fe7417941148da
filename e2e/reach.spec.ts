// Reaching readers and other systems, in a browser, as the demo admin: a webhook endpoint registered in
// /admin/webhooks hears of a post published in the editor, with a Standard Webhooks signature that verifies under the
// secret the page showed once. The receiver is started by this test (`npm run dev` lets webhooks reach local addresses).
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type Receiver, type RecordedRequest } from '../dev/standins/receiver';
import { assertAccessible } from './axe';
import { demoAdmin, signIn, url, visit } from './browser';

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
    await visit('desktop', async (page) => {
      await signIn(page, demoAdmin(), '/admin/webhooks');
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

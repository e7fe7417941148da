// Webhooks: registration and its SSRF guard, Standard Webhooks signing checked by an independent implementation
// (the `standardwebhooks` package and the specification's own example), attempts with retries and backoff, the
// dead-letter queue, and deliveries reaching a local receiver through the real (Miniflare) queue.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import * as webhooksDb from '../lib/db/webhooks';
import { loadConfig } from '../lib/env';
import { backoffSeconds } from '../lib/jobs/consume';
import type { JobMessage } from '../lib/jobs/messages';
import { checkWebhookAddress } from '../lib/webhooks/address';
import { attemptDelivery } from '../lib/webhooks/deliver';
import { postChangeEvent } from '../lib/webhooks/events';
import { encryptSecret } from '../lib/webhooks/secrets';
import { newWebhookSecret, signWebhook } from '../lib/webhooks/signature';
import { adminBrowserAs } from './admin-browser';
import { bearer, call, createUser, jsonRequest, testDeps, unique } from './helpers';

const receiver = env.TEST_RECEIVER_URL;

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

async function recorded(prefix: string): Promise<Recorded[]> {
  const response = await fetch(`${receiver}/recorded?prefix=${encodeURIComponent(prefix)}`);
  return response.json();
}

/** Waits (at most ~15 s) for the receiver to have `count` requests under the prefix: the queue runs on its own. */
async function waitForRequests(prefix: string, count: number): Promise<Recorded[]> {
  for (let i = 0; i < 75; i += 1) {
    const found = await recorded(prefix);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return recorded(prefix);
}

async function adminHeaders() {
  return bearer(await createUser({ role: 'admin' }));
}

/** A webhook straight in the database (no registration check), secret known to the test. */
async function webhookAt(url: string, events = ['post.published']) {
  const secret = newWebhookSecret();
  const webhook = await webhooksDb.insertWebhook(testDeps().sql, {
    url,
    events,
    secretEncrypted: await encryptSecret(testDeps().config, secret),
    createdBy: (await createUser({ role: 'admin' })).id,
  });
  return { webhook, secret };
}

/** A delivery for this webhook alone: its event type is its own, so no other test's endpoint wants it. */
async function deliveryTo(url: string) {
  const type = unique('test.event');
  const { webhook, secret } = await webhookAt(url, [type]);
  const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data: { id: 1 } });
  const [deliveryId, ...others] = await webhooksDb.insertDeliveries(testDeps().sql, {
    id: unique('msg').replaceAll('-', '_'),
    type,
    body,
  });
  expect(others).toEqual([]);
  return { webhook, secret, deliveryId: deliveryId!, body, type };
}

describe('Standard Webhooks signatures', () => {
  it("match the specification's own example", async () => {
    const signature = await signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verify with the standardwebhooks library, and fail for another secret or a changed body', async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = 'msg_test';
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"type":"post.published"}';
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await signWebhook(secret, id, timestamp, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: 'post.published' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"type":"post.deleted"}', headers)).toThrow();
  });
});

describe('the address guard', () => {
  const strict = {
    ...loadConfig(env),
    ALLOW_LOCAL_WEBHOOKS: 'false' as const,
    WEBHOOK_DOH_URL: `${receiver}/dns-query`,
  };

  it.each([
    'http://127.0.0.1/hook',
    'http://localhost:8080/hook',
    'http://api.localhost/hook',
    'http://[::1]/hook',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://2130706433/hook',
    'http://0x7f.0.0.1/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fe80::1]/hook',
    'http://[fd00::1]/hook',
    'http://printer.local/hook',
    'http://intranet/hook',
    'http://intranet.example/hook',
    'http://sneaky.example/hook',
    'http://metadata.example/hook',
    'http://nowhere.example/hook',
    'ftp://public.example/hook',
    'http://user:pass@public.example/hook',
  ])('refuses %s', async (url) => {
    const check = await checkWebhookAddress(strict, url);
    expect(check.ok).toBe(false);
  });

  it.each(['https://public.example/hook', 'https://93.184.216.34/hook', 'http://[2606:4700::1111]/hook'])(
    'lets %s through',
    async (url) => {
      expect(await checkWebhookAddress(strict, url)).toEqual({ ok: true });
    },
  );

  it('says why, naming the address a host resolves to', async () => {
    expect(await checkWebhookAddress(strict, 'http://intranet.example/x')).toEqual({
      ok: false,
      reason: 'intranet.example resolves to 10.0.0.5, a private address',
    });
  });
});

describe('POST /api/webhooks', () => {
  it('registers an endpoint and shows its secret once', async () => {
    const headers = await adminHeaders();
    const url = `${receiver}/hooks/${unique('reg')}`;
    const created = await call(
      '/api/webhooks',
      jsonRequest('POST', { url, events: ['post.published', 'comment.created'] }, headers),
    );
    expect(created.status).toBe(201);
    const body = await created.json<{ id: number; secret: string; events: string[] }>();
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.events).toEqual(['post.published', 'comment.created']);
    const list = await (await call('/api/webhooks', { headers })).json<{ items: Record<string, unknown>[] }>();
    const listed = list.items.find((item) => item.id === body.id)!;
    expect(listed).toMatchObject({ url, lastDelivery: null });
    expect(JSON.stringify(list)).not.toContain(body.secret);
    expect(JSON.stringify(listed)).not.toContain('secret');
    expect((await call(`/api/webhooks/${body.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await call(`/api/webhooks/${body.id}`, { method: 'DELETE', headers })).status).toBe(404);
  });

  it('is for admins only', async () => {
    const editor = await bearer(await createUser({ role: 'editor' }));
    const body = { url: 'https://public.example/hook', events: ['post.published'] };
    expect((await call('/api/webhooks', jsonRequest('POST', body, editor))).status).toBe(403);
    expect((await call('/api/webhooks', jsonRequest('POST', body))).status).toBe(401);
    expect((await call('/api/webhooks', { headers: editor })).status).toBe(403);
  });

  it.each([
    [{ url: 'https://public.example/hook', events: [] }, 'events'],
    [{ url: 'https://public.example/hook', events: ['post.exploded'] }, 'events'],
    [{ url: `https://public.example/${'x'.repeat(2000)}`, events: ['post.published'] }, 'url'],
    [{ url: 'not a url', events: ['post.published'] }, 'url'],
  ])('refuses %j (422)', async (body, field) => {
    const response = await call('/api/webhooks', jsonRequest('POST', body, await adminHeaders()));
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain(field);
  });

  it('refuses an address on a private network where local webhooks are not allowed', async () => {
    const strictEnv = { ...env, ALLOW_LOCAL_WEBHOOKS: 'false' };
    const ctx = createExecutionContext();
    const request = new Request(
      'https://blog.example/api/webhooks',
      jsonRequest('POST', { url: 'http://169.254.169.254/latest', events: ['post.published'] }, await adminHeaders()),
    );
    const response = await worker.fetch(request, strictEnv, ctx);
    expect(response.status).toBe(422);
    expect((await response.json<{ detail: string }>()).detail).toBe(
      'That address cannot receive webhooks: 169.254.169.254 is a linkLocal address.',
    );
  });
});

describe('a delivery attempt', () => {
  it('is signed so the standardwebhooks library verifies it, and is logged with its status and duration', async () => {
    const path = `/hooks/${unique('sign')}`;
    const { secret, deliveryId, body, webhook } = await deliveryTo(`${receiver}${path}`);
    expect(await attemptDelivery(testDeps(), deliveryId)).toBe('delivered');
    const [request] = await recorded(path);
    expect(request!.body).toBe(body);
    expect(request!.headers['webhook-id']).toBe(deliveryId);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(request!.body, request!.headers)).toMatchObject({
      type: expect.stringMatching(/^test\.event/),
    });
    const [delivery] = await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10);
    expect(delivery).toMatchObject({ id: deliveryId, status: 'delivered' });
    expect(delivery!.attempts).toEqual([
      { attemptedAt: expect.any(String), statusCode: 200, durationMs: expect.any(Number), error: null },
    ]);
  });

  it('is retried while the receiver fails, each attempt logged, with the same webhook-id', async () => {
    const path = `/hooks/${unique('flaky')}/flaky/2`;
    const { deliveryId, webhook } = await deliveryTo(`${receiver}${path}`);
    expect(await attemptDelivery(testDeps(), deliveryId)).toBe('retry');
    expect(await attemptDelivery(testDeps(), deliveryId)).toBe('retry');
    expect(await attemptDelivery(testDeps(), deliveryId)).toBe('delivered');
    // A message delivered twice by the queue does not reach the receiver twice.
    expect(await attemptDelivery(testDeps(), deliveryId)).toBe('delivered');
    const requests = await recorded(path);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([deliveryId, deliveryId, deliveryId]);
    const [delivery] = await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10);
    expect(delivery!.status).toBe('delivered');
    expect(delivery!.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [503, 'answered 503'],
      [503, 'answered 503'],
      [200, null],
    ]);
  });

  it('is marked failed when the last retry fails', async () => {
    const { deliveryId, webhook } = await deliveryTo(`${receiver}/hooks/${unique('down')}/status/500`);
    expect(await attemptDelivery(testDeps(), deliveryId, { final: true })).toBe('retry');
    const [delivery] = await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10);
    expect(delivery).toMatchObject({ status: 'failed', attempts: [expect.objectContaining({ statusCode: 500 })] });
  });

  it('refuses a private address at delivery time too, without sending', async () => {
    const path = `/hooks/${unique('ssrf')}`;
    const { deliveryId, webhook } = await deliveryTo(`${receiver}${path}`);
    const strict = { ...testDeps(), config: { ...testDeps().config, ALLOW_LOCAL_WEBHOOKS: 'false' as const } };
    expect(await attemptDelivery(strict, deliveryId)).toBe('done');
    expect(await recorded(path)).toEqual([]);
    const [delivery] = await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: [expect.objectContaining({ statusCode: null, error: 'refused: 127.0.0.1 is a loopback address' })],
    });
  });
});

describe('the jobs queue consumer', () => {
  function batchOf(queue: string, body: JobMessage, attempts = 1) {
    return createMessageBatch<JobMessage>(queue, [{ id: unique('m'), timestamp: new Date(), attempts, body }]);
  }

  it('retries a failed delivery, later each time', async () => {
    const { deliveryId } = await deliveryTo(`${receiver}/hooks/${unique('backoff')}/status/503`);
    const batch = batchOf('lembas-jobs', { type: 'webhook.delivery', deliveryId });
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: batch.messages[0]!.id }]);
    // The delay asked of the queue (getQueueResult does not show it): 30 s doubling, capped at an hour.
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffSeconds)).toEqual([30, 60, 120, 240, 480, 960, 3600]);
  });

  it('acknowledges a delivered one', async () => {
    const { deliveryId } = await deliveryTo(`${receiver}/hooks/${unique('ack')}`);
    const batch = batchOf('lembas-jobs', { type: 'webhook.delivery', deliveryId });
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([batch.messages[0]!.id]);
  });

  it('marks what reaches the dead-letter queue as failed', async () => {
    const { deliveryId, webhook } = await deliveryTo(`${receiver}/hooks/${unique('dead')}`);
    const batch = batchOf('lembas-jobs-dead', { type: 'webhook.delivery', deliveryId }, 6);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    const [delivery] = await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10);
    expect(delivery).toMatchObject({ status: 'failed', attempts: [] });
  });

  it('fans an event out once, however often the message comes', async () => {
    const { webhook } = await webhookAt(`${receiver}/hooks/${unique('fan')}`, ['post.deleted']);
    const event = {
      type: 'post.deleted',
      timestamp: new Date().toISOString(),
      data: {
        id: 1,
        slug: 'x',
        title: 'X',
        url: 'https://blog.example/posts/x',
        status: 'published',
        publishedAt: null,
      },
    } as const;
    const message: JobMessage = { type: 'blog.event', id: unique('msg').replaceAll('-', '_'), event };
    for (let i = 0; i < 2; i += 1) {
      const batch = batchOf('lembas-jobs', message, i + 1);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    }
    const deliveries = await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.id).toBe(`${message.id}_${webhook.id}`);
  });
});

describe('events from the write paths, through the queue to a receiver', () => {
  it('tells a receiver about a post published, updated, unpublished and deleted, signed', async () => {
    const headers = await adminHeaders();
    const path = `/hooks/${unique('flow')}`;
    const registered = await call(
      '/api/webhooks',
      jsonRequest(
        'POST',
        { url: `${receiver}${path}`, events: ['post.published', 'post.updated', 'post.unpublished', 'post.deleted'] },
        headers,
      ),
    );
    const { secret } = await registered.json<{ secret: string }>();
    const title = unique('Hooked');
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Hi.', status: 'published', tags: [] }, headers),
    );
    const post = await created.json<{ id: number; slug: string; version: number }>();
    const updated = await call(
      `/api/posts/${post.id}`,
      jsonRequest('PATCH', { version: post.version, title: `${title} again` }, headers),
    );
    const again = await updated.json<{ version: number }>();
    await call(`/api/posts/${post.id}`, jsonRequest('PATCH', { version: again.version, status: 'draft' }, headers));
    await call(
      `/api/posts/${post.id}`,
      jsonRequest('PATCH', { version: again.version + 1, status: 'published' }, headers),
    );
    expect((await call(`/api/posts/${post.id}`, { method: 'DELETE', headers })).status).toBe(204);

    const requests = await waitForRequests(path, 5);
    const events = requests.map(
      (request) =>
        new Webhook(secret).verify(request.body, request.headers) as {
          type: string;
          data: { id: number; url: string };
        },
    );
    expect(events.map((event) => event.type).sort()).toEqual(
      ['post.deleted', 'post.published', 'post.published', 'post.unpublished', 'post.updated'].sort(),
    );
    for (const event of events)
      expect(event.data).toMatchObject({ id: post.id, url: `https://blog.example/posts/${post.slug}` });
  }, 40_000);

  it('does not tell anyone about drafts', () => {
    expect(postChangeEvent({ status: 'draft' }, { status: 'draft' })).toBeNull();
    expect(postChangeEvent({ status: 'draft' }, { status: 'scheduled' })).toBeNull();
    expect(postChangeEvent(null, { status: 'draft' })).toBeNull();
    expect(postChangeEvent({ status: 'draft' }, null)).toBeNull();
    expect(postChangeEvent({ status: 'scheduled' }, { status: 'published' })).toBe('post.published');
  });
});

describe('/admin/webhooks', () => {
  it('adds an endpoint, shows its secret once, lists its deliveries and sends one again', async () => {
    const browser = await adminBrowserAs('admin');
    expect((await browser.get('/admin/webhooks')).status).toBe(200);
    const path = `/hooks/${unique('admin')}`;
    const added = await browser.post('/admin/webhooks', { url: `${receiver}${path}`, 'events[]': 'comment.created' });
    expect(added.status).toBe(201);
    const page = await added.text();
    const secret = /<code>(whsec_[^<]+)<\/code>/.exec(page)?.[1];
    expect(secret).toBeDefined();
    expect(await (await browser.get('/admin/webhooks')).text()).not.toContain(secret!);

    const { webhook } = await readWebhookByUrl(`${receiver}${path}`);
    const [deliveryId] = await webhooksDb.insertDeliveries(testDeps().sql, {
      id: unique('msg').replaceAll('-', '_'),
      type: 'comment.created',
      body: '{"type":"comment.created"}',
    });
    const mine = (await webhooksDb.listDeliveries(testDeps().sql, webhook.id, 10)).map((d) => d.id);
    expect(mine).toContain(deliveryId);
    const deliveries = await browser.get(`/admin/webhooks/${webhook.id}`);
    expect(deliveries.status).toBe(200);
    expect(await deliveries.text()).toContain('Send again');
    // Other tests' comments reach this endpoint too (it wants comment.created): this test follows its own delivery.
    const resent = await browser.post(`/admin/webhooks/${webhook.id}/deliveries/${deliveryId}/resend`, {});
    expect(resent.status).toBe(303);
    expect(resent.headers.get('Location')).toBe(`/admin/webhooks/${webhook.id}?done=resent`);
    let request: Recorded | undefined;
    for (let i = 0; i < 75 && !request; i += 1) {
      request = (await recorded(path)).find((r) => r.headers['webhook-id'] === deliveryId);
      if (!request) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(new Webhook(secret!).verify(request!.body, request!.headers)).toEqual({ type: 'comment.created' });

    const deleted = await browser.post(`/admin/webhooks/${webhook.id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(await webhooksDb.getWebhook(testDeps().sql, webhook.id)).toBeNull();
  }, 40_000);

  it('shows the form again with the reason when an endpoint is refused', async () => {
    const browser = await adminBrowserAs('admin');
    const noEvents = await browser.post('/admin/webhooks', { url: 'https://public.example/hook' });
    expect(noEvents.status).toBe(422);
    expect(await noEvents.text()).toContain('Choose at least one event.');
    const badUrl = await browser.post('/admin/webhooks', { url: 'nope', 'events[]': 'post.published' });
    expect(badUrl.status).toBe(422);
    expect(await badUrl.text()).toContain('value="nope"');
  });

  it('is for admins only, and checks the form token', async () => {
    const editor = await adminBrowserAs('editor');
    expect((await editor.get('/admin/webhooks')).status).toBe(403);
    const admin = await adminBrowserAs('admin');
    const forged = await admin.post(
      '/admin/webhooks',
      { url: 'https://public.example/x', 'events[]': 'post.published' },
      { csrf: null },
    );
    expect(forged.status).toBe(403);
  });
});

async function readWebhookByUrl(url: string) {
  const all = await webhooksDb.listWebhooks(testDeps().sql);
  const webhook = all.find((item) => item.url === url);
  if (!webhook) throw new Error(`no webhook at ${url}`);
  return { webhook };
}

// IndexNow: the key file, one batched request per queue batch to the (local stand-in of the) IndexNow endpoint,
// and failures that never reach the writer.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { loadConfig } from '../lib/env';
import { submitToIndexNow } from '../lib/indexnow';
import type { JobMessage } from '../lib/jobs/messages';
import { bearer, call, createUser, jsonRequest, unique } from './helpers';

const receiver = env.TEST_RECEIVER_URL;
const key = env.INDEXNOW_KEY!;

async function recorded(prefix: string): Promise<{ body: string; headers: Record<string, string> }[]> {
  return (await fetch(`${receiver}/recorded?prefix=${encodeURIComponent(prefix)}`)).json();
}

describe('GET /{key}.txt', () => {
  it('serves the key, and nothing for another name', async () => {
    const response = await call(`/${key}.txt`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(key);
    expect((await call('/someone-elses-key.txt')).status).toBe(404);
  });

  it('does not exist while IndexNow is off', async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`https://blog.example/${key}.txt`),
      { ...env, INDEXNOW_KEY: undefined },
      ctx,
    );
    expect(response.status).toBe(404);
  });
});

describe('submitting URLs', () => {
  const config = (path: string) => ({ ...loadConfig(env), INDEXNOW_ENDPOINT: `${receiver}${path}` });

  it('sends them in one request, as the protocol has it', async () => {
    const path = `/indexnow/${unique('one')}`;
    const urls = ['https://blog.example/posts/a', 'https://blog.example/posts/b', 'https://blog.example/posts/a'];
    expect(await submitToIndexNow(config(path), urls)).toBe(true);
    const [request, ...more] = await recorded(path);
    expect(more).toEqual([]);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request!.body)).toEqual({
      host: 'blog.example',
      key,
      keyLocation: `https://blog.example/${key}.txt`,
      urlList: ['https://blog.example/posts/a', 'https://blog.example/posts/b'],
    });
  });

  it('reports a refusal or an unreachable endpoint as false, never as an error', async () => {
    expect(
      await submitToIndexNow(config(`/indexnow/${unique('no')}/status/422`), ['https://blog.example/posts/a']),
    ).toBe(false);
    expect(
      await submitToIndexNow({ ...config('/x'), INDEXNOW_ENDPOINT: 'http://127.0.0.1:9/indexnow' }, [
        'https://blog.example/posts/a',
      ]),
    ).toBe(false);
  });

  it('batches the URLs of every message in a queue batch into one request', async () => {
    const path = `/indexnow/${unique('batch')}`;
    const messages: JobMessage[] = [
      { type: 'indexnow.submit', urls: ['https://blog.example/posts/one'] },
      { type: 'indexnow.submit', urls: ['https://blog.example/posts/two'] },
    ];
    const batch = createMessageBatch<JobMessage>(
      'lembas-jobs',
      messages.map((body, i) => ({ id: `${path}-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, INDEXNOW_ENDPOINT: `${receiver}${path}` }, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(2);
    const requests = await recorded(path);
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!.body).urlList).toEqual([
      'https://blog.example/posts/one',
      'https://blog.example/posts/two',
    ]);
  });
});

describe('publishing', () => {
  it('tells IndexNow the post URL through the queue, and the writer never waits for it', async () => {
    const headers = await bearer(await createUser({ role: 'author' }));
    const title = unique('Indexed');
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Hi.', status: 'published', tags: [] }, headers),
    );
    expect(created.status).toBe(201);
    const { slug } = await created.json<{ slug: string }>();
    const url = `https://blog.example/posts/${slug}`;
    let found = false;
    for (let i = 0; i < 75 && !found; i += 1) {
      const requests = await recorded('/indexnow');
      found = requests.some((request) => (JSON.parse(request.body) as { urlList: string[] }).urlList.includes(url));
      if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found).toBe(true);
  }, 40_000);
});

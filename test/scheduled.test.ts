import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { createDeps } from '../lib/context';
import { loadConfig } from '../lib/env';
import { warmCache } from '../lib/warm';
import { call, createPost, unique } from './helpers';

describe('the cron trigger', () => {
  it('publishes scheduled posts whose time has come, and leaves future ones alone', async () => {
    const due = await createPost({ status: 'scheduled', publishedAt: new Date(Date.now() - 60_000).toISOString() });
    const later = await createPost({
      status: 'scheduled',
      publishedAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await call(`/api/posts/${due.slug}`)).status).toBe(404);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);

    const published = await call(`/api/posts/${due.slug}`);
    expect(published.status).toBe(200);
    expect((await published.json<Record<string, unknown>>()).status).toBe('published');
    expect((await call(`/api/posts/${later.slug}`)).status).toBe(404);
  });

  it('warms the home page and the tag list', async () => {
    // A namespace of its own, so no other test's writes can drop these keys between the warm and the check.
    const config = { ...loadConfig(env), CACHE_NAMESPACE: unique('warm') };
    const deps = createDeps(config, { waitUntil: () => {} });
    const keys = await warmCache(deps);
    expect(keys).toEqual([
      'v1:posts:published:10:first',
      'v1:tags',
      'v1:doc:rss:site',
      'v1:doc:atom:site',
      'v1:doc:sitemap',
    ]);
    for (const key of keys) {
      const entry = await deps.redis.get<{ d: unknown; f: number }>(`${config.CACHE_NAMESPACE}:${key}`);
      expect(entry?.d).toBeTruthy();
      expect(entry?.f).toBeGreaterThan(Date.now());
    }
  });
});

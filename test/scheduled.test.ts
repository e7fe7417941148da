import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { pageWarmJobs } from '../functions/scheduled';
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
    expect((await call(`/api/posts/by-slug/${due.slug}`)).status).toBe(404);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);

    const published = await call(`/api/posts/by-slug/${due.slug}`);
    expect(published.status).toBe(200);
    expect((await published.json<Record<string, unknown>>()).status).toBe('published');
    expect((await call(`/api/posts/by-slug/${later.slug}`)).status).toBe(404);
  });

  it('warms the home page, the tag list, the feed and the sitemap as finished responses', async () => {
    // A namespace of its own, so no other test's writes can drop these keys between the warm and the check.
    const config = { ...loadConfig(env), CACHE_NAMESPACE: unique('warm') };
    const deps = createDeps(config, { waitUntil: () => {} });
    const keys = await warmCache(deps, pageWarmJobs(deps));
    expect(keys).toEqual([
      'v3:res:home:default',
      'v3:res:api-tags',
      'v3:doc:rss:site',
      'v3:doc:atom:site',
      'v3:doc:sitemap',
    ]);
    for (const key of keys) {
      const entry = await deps.cache.redis.get<string>(`${config.CACHE_NAMESPACE}:${key}`);
      // `~<fresh-until>`, then the payload: a finished response (ETag, content type, body) or a feed document (JSON).
      const freshUntil = entry!.slice(1, entry!.indexOf('\n'));
      const payload = entry!.slice(entry!.indexOf('\n') + 1);
      expect(Number(freshUntil)).toBeGreaterThan(Date.now());
      if (key.includes(':res:')) {
        const [etag, type, body] = payload.split('\n');
        expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
        expect(type).toMatch(/^(text\/html|application\/json)/);
        expect(body).toBeTruthy();
      } else {
        const document = JSON.parse(payload) as { body: string; etag: string; updated: string };
        expect(document.body).toMatch(/^<\?xml/);
        expect(document.etag).toMatch(/^"[0-9a-f]+"$/);
        expect(Date.parse(document.updated)).not.toBeNaN();
      }
    }
  });
});

import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { counterKeys } from '../lib/cache-keys';
import { createDeps, type Deps } from '../lib/context';
import { loadConfig } from '../lib/env';
import { flushViews, isCountedViewer, parseViewCounts } from '../lib/views';
import { call, createPost, testDeps, unique, uniqueIp } from './helpers';

/** One view as the beacon counts it (lib/views.ts adds one to the post's field of the live hash). */
async function countView(deps: Deps, slug: string): Promise<void> {
  await deps.redis.hincrby(counterKeys.pendingViews(deps.config.CACHE_NAMESPACE), slug, 1);
}

/** The page's beacon (public/static/views.js), from one visitor. */
function beacon(slug: string, visitor: { ip: string; userAgent: string }) {
  return call(`/api/posts/by-slug/${slug}/views`, {
    method: 'POST',
    headers: { 'User-Agent': visitor.userAgent, 'CF-Connecting-IP': visitor.ip },
  });
}

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

async function storedViews(postId: number): Promise<number> {
  const rows = await testDeps().sql`SELECT views FROM post_stats WHERE post_id = ${postId}`;
  return Number(rows[0]?.views ?? 0);
}

/** Deps with a namespace of their own, so no other test's views are flushed by (or into) this one. */
function isolatedDeps() {
  return createDeps({ ...loadConfig(env), CACHE_NAMESPACE: unique('views') }, { waitUntil: () => {} });
}

describe('isCountedViewer', () => {
  it('counts browsers, not crawlers or tools that announce themselves, nor requests without a User-Agent', () => {
    expect(isCountedViewer(BROWSER)).toBe(true);
    expect(isCountedViewer('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toBe(false);
    expect(isCountedViewer('curl/8.5.0')).toBe(false);
    expect(isCountedViewer('python-requests/2.31')).toBe(false);
    expect(isCountedViewer(undefined)).toBe(false);
  });
});

describe('parseViewCounts', () => {
  it('reads HGETALL pairs and skips junk', () => {
    expect(parseViewCounts(['a', '2', 'x', 'five', 'b', '0', 'c', 1, '', '3'])).toEqual({
      slugs: ['a', 'c'],
      views: [2, 1],
    });
  });
});

describe('page views', () => {
  it('counts a beacon once an hour per visitor and post, not bots, and not page or API reads', async () => {
    const post = await createPost();
    const deps = testDeps();
    const key = counterKeys.pendingViews(deps.config.CACHE_NAMESPACE);
    const before = Number((await deps.redis.hget(key, post.slug)) ?? 0);
    const reader = { ip: uniqueIp(), userAgent: BROWSER };
    for (let i = 0; i < 3; i++) {
      const response = await beacon(post.slug, reader);
      expect(response.status).toBe(204);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    }
    await beacon(post.slug, { ip: uniqueIp(), userAgent: BROWSER });
    await beacon(post.slug, { ip: uniqueIp(), userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0)' });
    await call(`/posts/${post.slug}`, { headers: { 'User-Agent': BROWSER } });
    await call(`/api/posts/by-slug/${post.slug}`, { headers: { 'User-Agent': BROWSER } });
    // Only this post's field is read; other tests may count their own posts in the same hash meanwhile.
    const after = Number((await deps.redis.hget(key, post.slug)) ?? 0);
    expect(after - before).toBe(2);
  });

  it('refuses a beacon for a malformed slug', async () => {
    expect((await beacon('Not A Slug!', { ip: uniqueIp(), userAgent: BROWSER })).status).toBe(422);
  });

  it('the cron flushes views into Postgres, and the page and API show them', async () => {
    const post = await createPost();
    for (let i = 0; i < 3; i++) await beacon(post.slug, { ip: uniqueIp(), userAgent: BROWSER });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    // Another test file's cron may hold the flush lock and be writing these very views: wait for it to finish.
    for (let i = 0; i < 100 && (await storedViews(post.id)) < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await flushViews(testDeps());
    }
    expect(await storedViews(post.id)).toBe(3);
    expect((await (await call(`/api/posts/by-slug/${post.slug}`)).json<Record<string, unknown>>()).views).toBe(3);
    expect(await (await call(`/posts/${post.slug}`)).text()).toContain('3 views');
  });

  it('loses no view counted while a flush runs, in one batched statement per flush', async () => {
    const deps = isolatedDeps();
    const [a, b] = await Promise.all([createPost(), createPost()]);
    const views = (slug: string, n: number) => Array.from({ length: n }, () => countView(deps, slug));
    await Promise.all(views(a.slug, 20));
    await Promise.all([
      ...views(a.slug, 25),
      flushViews(deps),
      ...views(b.slug, 30),
      flushViews(deps),
      ...views(a.slug, 5),
    ]);
    await flushViews(deps);
    expect(await storedViews(a.id)).toBe(50);
    expect(await storedViews(b.id)).toBe(30);
    expect(await flushViews(deps)).toBe(0);
  });

  it('flushes the copy a failed flush left behind together with the new views', async () => {
    const deps = isolatedDeps();
    const post = await createPost();
    const ns = deps.config.CACHE_NAMESPACE;
    await deps.redis.hset(counterKeys.flushingViews(ns), { [post.slug]: 5 });
    await countView(deps, post.slug);
    expect(await flushViews(deps)).toBe(6);
    expect(await storedViews(post.id)).toBe(6);
    expect(await flushViews(deps)).toBe(0);
  });

  it('runs one flush at a time: a second one while the lock is held flushes nothing', async () => {
    const deps = isolatedDeps();
    const post = await createPost();
    await countView(deps, post.slug);
    await deps.redis.set(counterKeys.viewsFlushLock(deps.config.CACHE_NAMESPACE), 'someone-else', { px: 60_000 });
    expect(await flushViews(deps)).toBe(0);
    expect(await storedViews(post.id)).toBe(0);
    await deps.redis.del(counterKeys.viewsFlushLock(deps.config.CACHE_NAMESPACE));
    expect(await flushViews(deps)).toBe(1);
  });

  it('skips views of posts deleted before the flush', async () => {
    const deps = isolatedDeps();
    const post = await createPost();
    await countView(deps, post.slug);
    await testDeps().sql`DELETE FROM posts WHERE id = ${post.id}`;
    expect(await flushViews(deps)).toBe(1);
    expect(await storedViews(post.id)).toBe(0);
  });
});

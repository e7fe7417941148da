import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { invalidate, readThrough, refreshEntry, type CacheContext } from '../../lib/cache';
import { cacheKeys, cacheTags } from '../../lib/cache-keys';
import { clientsFor } from '../../lib/clients';
import { loadConfig } from '../../lib/env';
import { unique } from '../helpers';

/** A cache over the real Upstash stand-in, in a namespace of its own, whose background work can be awaited. */
function testCache(overrides: Partial<ReturnType<typeof loadConfig>> = {}) {
  const config = { ...loadConfig(env), CACHE_NAMESPACE: unique('cache'), ...overrides };
  const pending: Promise<unknown>[] = [];
  const ctx: CacheContext = {
    redis: clientsFor(config).cacheRedis,
    namespace: config.CACHE_NAMESPACE,
    waitUntil: (p) => void pending.push(p),
  };
  const settle = async () => {
    while (pending.length > 0) await Promise.all(pending.splice(0));
  };
  return { ctx, settle };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const key = () => cacheKeys.post(unique('k'));

describe('readThrough', () => {
  it('loads on a miss, fills after the response, then hits without loading', async () => {
    const { ctx, settle } = testCache();
    const k = key();
    let loads = 0;
    const load = async () => ({ title: `load ${++loads}` }) as never;
    expect(await readThrough(ctx, k, load)).toEqual({ value: { title: 'load 1' }, status: 'MISS' });
    await settle();
    expect(await readThrough(ctx, k, load)).toEqual({ value: { title: 'load 1' }, status: 'HIT' });
    expect(loads).toBe(1);
  });

  it('remembers an absence, so unknown keys do not reach the database each time', async () => {
    const { ctx, settle } = testCache();
    const k = key();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return null;
    };
    await readThrough(ctx, k, load);
    await settle();
    expect(await readThrough(ctx, k, load)).toEqual({ value: null, status: 'HIT' });
    expect(loads).toBe(1);
  });

  it('never stores rows read before a write that invalidated them (the stale-set race)', async () => {
    const { ctx, settle } = testCache();
    const k = key();
    const loadStarted = deferred();
    const writeDone = deferred();
    const reading = readThrough(ctx, k, async () => {
      loadStarted.resolve();
      await writeDone.promise; // the reader has its old rows in hand while the write commits and invalidates
      return { title: 'old' } as never;
    });
    await loadStarted.promise;
    await invalidate(ctx, [k]);
    writeDone.resolve();
    expect((await reading).value).toEqual({ title: 'old' });
    await settle();
    const next = await readThrough(ctx, k, async () => ({ title: 'new' }) as never);
    expect(next).toEqual({ value: { title: 'new' }, status: 'MISS' });
  });

  it('lets only one of many concurrent misses load from the database (no stampede)', async () => {
    const { ctx } = testCache();
    const k = key();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 40));
      return { title: 'once' } as never;
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => readThrough(ctx, k, load)));
    expect(loads).toBe(1);
    expect(results.every((r) => (r.value as { title: string } | null)?.title === 'once')).toBe(true);
    expect(results.filter((r) => r.status === 'MISS')).toHaveLength(1);
  });

  it('serves a stale entry at once and refreshes it in the background', async () => {
    const { ctx, settle } = testCache();
    const k = key();
    // An entry whose fresh window has passed: `~<fresh-until>\n<JSON>`.
    await ctx.redis.set(`${ctx.namespace}:${k.key}`, `~${Date.now() - 1000}\n${JSON.stringify({ title: 'stale' })}`, {
      ex: 60,
    });
    const result = await readThrough(ctx, k, async () => ({ title: 'fresh' }) as never);
    expect(result).toEqual({ value: { title: 'stale' }, status: 'STALE' });
    await settle();
    expect(await readThrough(ctx, k, async () => ({ title: 'unused' }) as never)).toEqual({
      value: { title: 'fresh' },
      status: 'HIT',
    });
  });

  it('drops every page recorded under a tag, including pages only leased so far', async () => {
    const { ctx, settle } = testCache();
    const page1 = cacheKeys.publishedPosts(10);
    const page2 = cacheKeys.publishedPosts(20);
    await readThrough(ctx, page1, async () => ({ items: [], nextCursor: null }));
    await settle();
    const gate = deferred();
    const leased = readThrough(ctx, page2, async () => {
      await gate.promise;
      return { items: [], nextCursor: 'old' };
    });
    await new Promise((r) => setTimeout(r, 20));
    await invalidate(ctx, [], [cacheTags.posts]);
    gate.resolve();
    await leased;
    await settle();
    expect((await readThrough(ctx, page1, async () => ({ items: [], nextCursor: 'reloaded' }))).status).toBe('MISS');
    expect((await readThrough(ctx, page2, async () => ({ items: [], nextCursor: 'new' }))).value?.nextCursor).toBe(
      'new',
    );
  });

  it('reads from the database when Redis cannot be reached (BYPASS), instead of failing', async () => {
    const { ctx } = testCache({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' });
    const result = await readThrough(ctx, key(), async () => ({ title: 'from db' }) as never);
    expect(result).toEqual({ value: { title: 'from db' }, status: 'BYPASS' });
  });
});

describe('a load that fails', () => {
  it('hands its lease back at once, so the next reader loads instead of waiting', async () => {
    const { ctx, settle } = testCache();
    const k = key();
    await expect(readThrough(ctx, k, async () => Promise.reject(new Error('database blip')))).rejects.toThrow(
      'database blip',
    );
    await settle();
    expect(await ctx.redis.get(`${ctx.namespace}:${k.key}#lease`)).toBeNull();
  });
});

describe('refreshEntry (the cron and stale-while-revalidate)', () => {
  it('stores a fresh value over an existing one', async () => {
    const { ctx } = testCache();
    const k = key();
    await readThrough(ctx, k, async () => ({ title: 'old' }) as never);
    await new Promise((r) => setTimeout(r, 20));
    expect(await refreshEntry(ctx, k, async () => ({ title: 'warmed' }) as never)).toBe(true);
    expect((await readThrough(ctx, k, async () => null)).value).toEqual({ title: 'warmed' });
  });

  it('stores nothing when a write invalidates the key while it loads, even for a never-filled list page', async () => {
    const { ctx } = testCache();
    const page = cacheKeys.publishedPosts(7);
    const loadStarted = deferred();
    const writeDone = deferred();
    const warming = refreshEntry(ctx, page, async () => {
      loadStarted.resolve();
      await writeDone.promise;
      return { items: [], nextCursor: 'pre-write' };
    });
    await loadStarted.promise;
    await invalidate(ctx, [], [cacheTags.posts]);
    writeDone.resolve();
    expect(await warming).toBe(false);
    expect(await ctx.redis.get(`${ctx.namespace}:${page.key}`)).toBeNull();
  });
});

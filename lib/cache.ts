// The read-through cache: every key and TTL lives here, so no route ever assembles a key string itself.
import type { Redis } from '@upstash/redis/cloudflare';
import type { Post, PostPage, PostSummary } from './schemas/post';
import type { Tag } from './schemas/tag';
import type { UserProfile } from './schemas/user';

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

interface CachePolicy {
  /** Served as a hit while fresh. */
  freshSeconds: number;
  /** After that, served once more while a refresh runs in the background (stale-while-revalidate). */
  staleSeconds: number;
}

const policies = {
  page: { freshSeconds: 60, staleSeconds: 86_400 },
  entity: { freshSeconds: 300, staleSeconds: 86_400 },
  /** Unknown slugs are remembered briefly so a crawler hammering 404s does not reach the database. */
  missing: { freshSeconds: 30, staleSeconds: 0 },
} satisfies Record<string, CachePolicy>;

/** A cache key carries the type of the value stored under it, so reads and writes cannot disagree. */
export interface CacheKey<T> {
  readonly key: string;
  readonly policy: CachePolicy;
  /** Keys of list pages are recorded in a tag set, so a write can drop every page at once. */
  readonly tag?: string;
  readonly __value?: T;
}

const VERSION = 'v1';

function key<T>(name: string, policy: CachePolicy, tag?: string): CacheKey<T> {
  return { key: `${VERSION}:${name}`, policy, tag: tag && `${VERSION}:tag:${tag}` };
}

export const cacheKeys = {
  post: (slug: string) => key<Post>(`post:${slug}`, policies.entity),
  publishedPosts: (limit: number, cursor?: string) =>
    key<PostPage>(`posts:published:${limit}:${cursor ?? 'first'}`, policies.page, 'posts'),
  filteredPosts: (limit: number, cursor: string | undefined, tag: string | undefined, author: string | undefined) =>
    key<PostPage>(`posts:filtered:${limit}:${tag ?? ''}:${(author ?? '').toLowerCase()}:${cursor ?? 'first'}`, policies.page, 'posts'),
  relatedPosts: (slug: string, limit: number) => key<PostSummary[]>(`posts:related:${slug}:${limit}`, policies.page, 'posts'),
  tags: () => key<Tag[]>('tags', policies.page, 'posts'),
  /** Also read on every authenticated request, so a disabled user's tokens stop working at once. */
  user: (id: number) => key<UserProfile>(`user:${id}`, policies.entity),
};

/** Tags that a change to posts makes stale: every list page and tag count. */
export const cacheTags = { posts: `${VERSION}:tag:posts` };

interface Envelope<T> {
  /** The value; null records a known absence. */
  d: T | null;
  /** Fresh until this epoch millisecond. */
  f: number;
}

export interface CacheContext {
  redis: Redis;
  namespace: string;
  waitUntil(promise: Promise<unknown>): void;
  log?: (message: string, error?: unknown) => void;
}

export interface CacheResult<T> {
  value: T | null;
  status: CacheStatus;
}

const ns = (ctx: CacheContext, k: string) => `${ctx.namespace}:${k}`;

/**
 * One Redis GET on a hit; on a miss one load from the database, with the fill done after the response.
 * If Redis is unreachable the request goes straight to the database (BYPASS): the cache never makes a readable
 * page fail.
 */
export async function readThrough<T>(
  ctx: CacheContext,
  cacheKey: CacheKey<T>,
  load: () => Promise<T | null>,
): Promise<CacheResult<T>> {
  const k = ns(ctx, cacheKey.key);
  let entry: Envelope<T> | null;
  try {
    entry = await ctx.redis.get<Envelope<T>>(k);
  } catch (error) {
    ctx.log?.(`cache read failed for ${k}; reading from the database`, error);
    return { value: await load(), status: 'BYPASS' };
  }
  if (entry && typeof entry === 'object' && 'f' in entry) {
    if (entry.f > Date.now()) return { value: entry.d, status: 'HIT' };
    ctx.waitUntil(load().then((fresh) => store(ctx, cacheKey, fresh)).catch((e) => ctx.log?.(`refresh of ${k} failed`, e)));
    return { value: entry.d, status: 'STALE' };
  }
  const value = await load();
  ctx.waitUntil(store(ctx, cacheKey, value).catch((e) => ctx.log?.(`cache fill of ${k} failed`, e)));
  return { value, status: 'MISS' };
}

export async function store<T>(ctx: CacheContext, cacheKey: CacheKey<T>, value: T | null): Promise<void> {
  const policy = value === null ? policies.missing : cacheKey.policy;
  const envelope: Envelope<T> = { d: value, f: Date.now() + policy.freshSeconds * 1000 };
  const ttl = policy.freshSeconds + policy.staleSeconds;
  const k = ns(ctx, cacheKey.key);
  if (!cacheKey.tag) {
    await ctx.redis.set(k, envelope, { ex: ttl });
    return;
  }
  const tag = ns(ctx, cacheKey.tag);
  const p = ctx.redis.pipeline();
  p.set(k, envelope, { ex: ttl });
  p.sadd(tag, k);
  p.expire(tag, ttl);
  await p.exec();
}

/** Deletes keys and every key recorded under the given tags, in one round trip. */
export async function invalidate(ctx: CacheContext, keys: CacheKey<unknown>[], tags: string[] = []): Promise<void> {
  const p = ctx.redis.pipeline();
  if (keys.length > 0) p.del(...keys.map((k) => ns(ctx, k.key)));
  for (const tag of tags) p.eval(DROP_TAG_SCRIPT, [ns(ctx, tag)], []);
  await p.exec();
}

// Atomic so that a page recorded under the tag between the read and the delete is not left behind.
const DROP_TAG_SCRIPT = `
local members = redis.call('SMEMBERS', KEYS[1])
for i = 1, #members do redis.call('DEL', members[i]) end
redis.call('DEL', KEYS[1])
return #members`;

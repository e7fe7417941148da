// The read-through cache mechanism: entries, leases, stale-while-revalidate, tags and invalidation. It knows no
// domain: which keys exist, and what each one holds, is the key vocabulary's business (lib/cache-keys.ts).
import type { Redis } from '@upstash/redis/cloudflare';
import { hexDigest } from './digest';

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

interface CachePolicy {
  /** Served as a hit while fresh. */
  freshSeconds: number;
  /** After that, served once more while a refresh runs in the background (stale-while-revalidate). */
  staleSeconds: number;
}

export const cachePolicies = {
  page: { freshSeconds: 60, staleSeconds: 86_400 },
  entity: { freshSeconds: 300, staleSeconds: 86_400 },
  /** Unknown slugs are remembered briefly so a crawler hammering 404s does not reach the database. */
  missing: { freshSeconds: 30, staleSeconds: 0 },
} satisfies Record<string, CachePolicy>;

/** How a value becomes the text stored in Redis and back. */
export interface Codec<T> {
  encode(value: T): string;
  decode(text: string): T;
}

const jsonCodec: Codec<never> = {
  encode: (value) => JSON.stringify(value),
  decode: (text) => JSON.parse(text) as never,
};

/** A finished response, stored as it is sent, so a hit costs no rendering and no re-serialising. */
export interface StoredResponse {
  /** A strong validator of the body (quoted), for If-None-Match. */
  etag: string;
  type: string;
  body: string;
}

// Two header lines and the body as is: decoding a 30 KB page is two indexOf calls, not a JSON parse.
export const responseCodec: Codec<StoredResponse> = {
  encode: ({ etag, type, body }) => `${etag}\n${type}\n${body}`,
  decode(text) {
    const a = text.indexOf('\n');
    const b = text.indexOf('\n', a + 1);
    return { etag: text.slice(0, a), type: text.slice(a + 1, b), body: text.slice(b + 1) };
  },
};

/** A cache key carries the type of the value stored under it, so reads and writes cannot disagree. */
export interface CacheKey<T> {
  readonly key: string;
  readonly policy: CachePolicy;
  /** Keys of list pages are recorded in a tag set, so a write can drop every page at once. */
  readonly tag?: string;
  readonly codec: Codec<T>;
  /**
   * The names of what the entry shows, for the edge tier (Workers Cache): a response served from it carries them as
   * its Cache-Tag. The first is the entry's own name, which is purged when the entry is dropped directly; its tag
   * set's name follows, which is purged when that tag is dropped.
   */
  readonly edgeTags: readonly string[];
}

// v2: entries are `~<fresh-until>\n<payload>` text (v1 was a JSON envelope). v3: cached pages carry their viewer
// slots filled for visitors, between markers (lib/viewer.ts), where v2 pages carried bare slots.
const CACHE_VERSION = 'v3';

/**
 * A key of the vocabulary: versioned, with its policy, its tag set (if any), how its value is stored, and the name of
 * what it shows at the edge (`subject`: `post:<slug>`; by default its tag set's name, or else its own name).
 */
export function defineKey<T>(
  name: string,
  policy: CachePolicy,
  tag?: string,
  codec: Codec<T> = jsonCodec as Codec<T>,
  subject?: string,
): CacheKey<T> {
  const edgeTags = [...new Set([subject ?? tag ?? name, ...(tag ? [tag] : [])])];
  return { key: `${CACHE_VERSION}:${name}`, policy, tag: tag && defineTag(tag), codec, edgeTags };
}

const TAG_PREFIX = `${CACHE_VERSION}:tag:`;

/** The full name of a tag set, as `invalidate` takes it. */
export function defineTag(name: string): string {
  return `${TAG_PREFIX}${name}`;
}

/** A tag set's name at the edge (Cache-Tag): the name it was defined with. */
export function edgeTagOf(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : tag;
}

/** A versioned key outside the cache entries (counters kept in Redis), in a namespace. */
export function counterKey(namespace: string, name: string): string {
  return `${namespace}:${CACHE_VERSION}:${name}`;
}

interface Entry<T> {
  /** The value; null records a known absence. */
  value: T | null;
  /** Fresh until this epoch millisecond. */
  freshUntil: number;
}

// `~` first, so no client's automatic JSON deserialisation can mistake an entry for a number; an empty payload is
// a known absence (no codec encodes a value as nothing).
function encodeEntry<T>(codec: Codec<T>, value: T | null, freshUntil: number): string {
  return `~${freshUntil}\n${value === null ? '' : codec.encode(value)}`;
}

function decodeEntry<T>(codec: Codec<T>, text: unknown): Entry<T> | null {
  if (typeof text !== 'string' || text[0] !== '~') return null;
  const newline = text.indexOf('\n');
  if (newline < 0) return null;
  const freshUntil = Number(text.slice(1, newline));
  return { freshUntil, value: newline === text.length - 1 ? null : codec.decode(text.slice(newline + 1)) };
}

export interface CacheContext {
  /** A client without automatic deserialisation: entries are text this module decodes itself. */
  redis: Redis;
  namespace: string;
  waitUntil(promise: Promise<unknown>): void;
  log?: (message: string, error?: unknown) => void;
  /**
   * Purges these Cache-Tags from the edge tier (Workers Cache) after the response; every invalidation calls it with
   * the names of what it dropped, so no write path purges by hand (lib/edge-cache.ts).
   */
  purgeEdge?: (tags: string[]) => void;
}

export interface CacheResult<T> {
  value: T | null;
  status: CacheStatus;
}

// A lease token only has to differ from every other reader's: a random prefix per isolate (made on first use; the
// global scope may not use randomness) and a counter, rather than a fresh UUID on every cache read, hits included.
let isolateToken: string | undefined;
let leases = 0;
const leaseToken = () => `${(isolateToken ??= crypto.randomUUID())}:${++leases}`;

/** Long enough for one database load; if a holder dies, the next reader takes over after this. */
const LEASE_MS = 5_000;
/** A reader that finds another's lease waits this long, a few times, for the fill instead of loading too. */
const LEASE_WAIT_MS = 30;
const LEASE_WAIT_TRIES = 5;

const ns = (ctx: CacheContext, k: string) => `${ctx.namespace}:${k}`;
const leaseOf = (fullKey: string) => `${fullKey}#lease`;

// Leases close the stale-set race: a reader takes the lease *before* it reads the database, and may fill only while
// it still holds it. A write deletes the key and its lease, so a reader that loaded rows from before the write
// finds its lease gone and stores nothing. Tagged keys join their tag set when leased, so dropping a tag reaches
// leases on pages that were never filled.
const READ_OR_LEASE = `
local v = redis.call('GET', KEYS[1])
if v then return {'hit', v} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if KEYS[3] then
    redis.call('SADD', KEYS[3], KEYS[1])
    if redis.call('TTL', KEYS[3]) == -1 then redis.call('EXPIRE', KEYS[3], 86400) end
  end
  return {'lease', ''}
end
return {'busy', ''}`;

const FILL_IF_LEASED = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('DEL', KEYS[2])
if KEYS[3] then
  redis.call('SADD', KEYS[3], KEYS[1])
  if redis.call('TTL', KEYS[3]) < tonumber(ARGV[3]) then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
end
return 1`;

// The lease alone, for refreshes of entries that may exist; tagged keys join their tag set as in READ_OR_LEASE.
const TAKE_LEASE = `
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if KEYS[3] then
  redis.call('SADD', KEYS[3], KEYS[1])
  if redis.call('TTL', KEYS[3]) == -1 then redis.call('EXPIRE', KEYS[3], 86400) end
end
return 1`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Atomic so that a page recorded under the tag between the read and the delete is not left behind.
const DROP_TAG = `
local members = redis.call('SMEMBERS', KEYS[1])
for i = 1, #members do redis.call('DEL', members[i], members[i] .. '#lease') end
redis.call('DEL', KEYS[1])
return #members`;

/** The scripts as Redis receives them; the embedded stand-in engine runs a JS twin of each (native-scripts.ts). */
export const CACHE_SCRIPTS = { READ_OR_LEASE, FILL_IF_LEASED, TAKE_LEASE, RELEASE_LEASE, DROP_TAG } as const;

const scriptShas = new Map<string, Promise<string>>();
/** The same hashes once computed, so a cache hit does not wait a turn for a settled promise. */
const knownShas = new Map<string, string>();

function sha1Hex(text: string): Promise<string> {
  let sha = scriptShas.get(text);
  if (!sha) {
    sha = hexDigest('SHA-1', text);
    sha.then((hex) => knownShas.set(text, hex)).catch(() => scriptShas.delete(text));
    scriptShas.set(text, sha);
  }
  return sha;
}

/** EVALSHA with the hash computed once per isolate; EVAL only when Redis has not seen the script yet. */
async function runScript<T>(redis: Redis, script: string, keys: string[], args: string[]): Promise<T> {
  try {
    return await redis.evalsha<string[], T>(knownShas.get(script) ?? (await sha1Hex(script)), keys, args);
  } catch (error) {
    if (!(error instanceof Error) || !/noscript/i.test(error.message)) throw error;
    return redis.eval<string[], T>(script, keys, args);
  }
}

function keysFor(ctx: CacheContext, cacheKey: CacheKey<unknown>): string[] {
  const k = ns(ctx, cacheKey.key);
  return cacheKey.tag ? [k, leaseOf(k), ns(ctx, cacheKey.tag)] : [k, leaseOf(k)];
}

/**
 * One Upstash call on a hit (a script that reads, or takes the fill lease on a miss); on a miss one load from the
 * database, with the fill after the response. Concurrent misses on one key wait for the lease holder's fill rather
 * than all loading. If Redis is unreachable, reads go straight to the database (BYPASS): the cache never makes a
 * readable page fail.
 */
export async function readThrough<T>(
  ctx: CacheContext,
  cacheKey: CacheKey<T>,
  load: () => Promise<T | null>,
): Promise<CacheResult<T>> {
  const keys = keysFor(ctx, cacheKey);
  const token = leaseToken();
  let outcome: [string, unknown];
  try {
    outcome = await runScript<[string, unknown]>(ctx.redis, READ_OR_LEASE, keys, [token, String(LEASE_MS)]);
  } catch (error) {
    ctx.log?.(`cache read failed for ${keys[0]}; reading from the database`, error);
    return { value: await load(), status: 'BYPASS' };
  }
  const [state, text] = outcome;
  const entry = state === 'hit' ? decodeEntry(cacheKey.codec, text) : null;
  if (entry) {
    if (entry.freshUntil > Date.now()) return { value: entry.value, status: 'HIT' };
    ctx.waitUntil(
      refreshEntry(ctx, cacheKey, load).catch((error) => ctx.log?.(`refresh of ${cacheKey.key} failed`, error)),
    );
    return { value: entry.value, status: 'STALE' };
  }
  if (state === 'lease') {
    let value: T | null;
    try {
      value = await load();
    } catch (error) {
      // Hand the lease back at once, so the next reader loads instead of waiting out LEASE_MS.
      ctx.waitUntil(runScript(ctx.redis, RELEASE_LEASE, [keys[1] as string], [token]).catch(() => {}));
      throw error;
    }
    ctx.waitUntil(fill(ctx, cacheKey, token, value));
    return { value, status: 'MISS' };
  }
  const filled = await waitForFill(ctx, cacheKey.codec, keys[0] as string);
  const value = filled ? filled.value : await load();
  return { value, status: filled ? 'HIT' : 'MISS' };
}

async function waitForFill<T>(ctx: CacheContext, codec: Codec<T>, fullKey: string): Promise<Entry<T> | null> {
  for (let attempt = 0; attempt < LEASE_WAIT_TRIES; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, LEASE_WAIT_MS));
    try {
      const entry = decodeEntry(codec, await ctx.redis.get(fullKey));
      if (entry) return entry;
    } catch {
      return null;
    }
  }
  return null;
}

function entryFor<T>(cacheKey: CacheKey<T>, value: T | null): { text: string; ttl: number } {
  const policy = value === null ? cachePolicies.missing : cacheKey.policy;
  return {
    text: encodeEntry(cacheKey.codec, value, Date.now() + policy.freshSeconds * 1000),
    ttl: policy.freshSeconds + policy.staleSeconds,
  };
}

/** Stores the value if this reader still holds the lease; false when a write (or another holder) intervened. */
async function fill<T>(ctx: CacheContext, cacheKey: CacheKey<T>, token: string, value: T | null): Promise<boolean> {
  const { text, ttl } = entryFor(cacheKey, value);
  try {
    const stored = await runScript<number>(ctx.redis, FILL_IF_LEASED, keysFor(ctx, cacheKey), [
      token,
      text,
      String(ttl),
    ]);
    return stored === 1;
  } catch (error) {
    ctx.log?.(`cache fill of ${cacheKey.key} failed`, error);
    return false;
  }
}

/**
 * Reloads an entry and stores it under the lease, whatever its state: for stale-while-revalidate and the cron.
 * Returns false when another reader holds the lease or a write intervened (its rows might predate the write).
 */
export async function refreshEntry<T>(
  ctx: CacheContext,
  cacheKey: CacheKey<T>,
  load: () => Promise<T | null>,
): Promise<boolean> {
  const token = leaseToken();
  const won = await runScript<number>(ctx.redis, TAKE_LEASE, keysFor(ctx, cacheKey), [token, String(LEASE_MS)]);
  if (won !== 1) return false;
  return fill(ctx, cacheKey, token, await load());
}

/**
 * Drops entries after a committed change. A failure is logged, not thrown: the change is saved, and the entries
 * expire within their fresh window (with Redis unreachable, reads go to the database anyway).
 */
export async function invalidateQuietly(
  ctx: CacheContext,
  keys: CacheKey<unknown>[],
  tags: string[] = [],
): Promise<void> {
  try {
    await invalidate(ctx, keys, tags);
  } catch (error) {
    ctx.log?.('cache invalidation failed', error);
  }
}

/**
 * Deletes keys (and their leases) and every key recorded under the given tags, in one round trip; then purges the same
 * names from the edge tier (each key's own name, each tag's name), whether or not Redis answered: the edge must not
 * keep serving what the write changed. The purge comes after the Redis delete, so an edge miss refills from the
 * database, not from the entries being dropped.
 */
export async function invalidate(ctx: CacheContext, keys: CacheKey<unknown>[], tags: string[] = []): Promise<void> {
  try {
    const p = ctx.redis.pipeline();
    const direct = keys.flatMap((k) => keysFor(ctx, { ...k, tag: undefined }));
    if (direct.length > 0) p.del(...direct);
    for (const tag of tags) p.eval(DROP_TAG, [ns(ctx, tag)], []);
    await p.exec();
  } finally {
    const names = new Set([...keys.map((k) => k.edgeTags[0]!), ...tags.map(edgeTagOf)]);
    if (ctx.purgeEdge && names.size > 0) ctx.purgeEdge([...names]);
  }
}

// Page views: the post page's beacon (public/static/views.js) adds one to a Redis hash, at most once an hour per
// visitor and post; the cron moves the counts into post_stats in one statement. Counting in Redis keeps a write per
// view off Postgres; counting by beacon counts the views the edge cache serves without running the Worker.
//
// The flush never loses a view that arrives while it runs: an atomic script moves the live hash into a copy, so new
// views start a fresh one at once, and the copy is deleted only after Postgres has taken it. If a flush fails
// half-way, the copy survives and the next run adds the new counts to it and flushes both.
import { isbot } from 'isbot';
import { invalidateQuietly } from './cache';
import { counterKeys, postEntries } from './cache-keys';
import { timed, type Deps } from './context';
import { hexDigest } from './digest';
import { addViews } from './db/views';

/** Pure: crawlers and tools that say what they are in User-Agent are not readers. No User-Agent is not a reader either. */
export function isCountedViewer(userAgent: string | null | undefined): boolean {
  return Boolean(userAgent) && !isbot(userAgent);
}

/** A visitor counts once an hour per post. */
export const VIEW_WINDOW_SECONDS = 3600;

// KEYS[1] this visitor's mark for this post, KEYS[2] the live hash; one round trip, and a repeat within the hour
// (the mark still there) adds nothing.
const COUNT_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1`;

/**
 * Counts one view of `slug` from the view beacon, unless the caller is a crawler or this visitor was counted within
 * the hour. A visitor is a keyed digest of address and User-Agent: no cookie, and no address kept in Redis.
 */
export async function recordView(
  deps: Deps,
  slug: string,
  visitor: { ip: string; userAgent: string | null },
): Promise<boolean> {
  if (!isCountedViewer(visitor.userAgent)) return false;
  const ns = deps.config.CACHE_NAMESPACE;
  const id = (await hexDigest('SHA-256', `${deps.config.JWT_SECRET}\n${visitor.ip}\n${visitor.userAgent}`)).slice(
    0,
    32,
  );
  const counted = await deps.redis.eval<string[], number>(
    COUNT_ONCE,
    [counterKeys.viewedBy(ns, id, slug), counterKeys.pendingViews(ns)],
    [slug, String(VIEW_WINDOW_SECONDS)],
  );
  return counted === 1;
}

// KEYS[1] live hash, KEYS[2] the copy being flushed, KEYS[3] the flush lock. One flush at a time: two overlapping
// crons must not both add the same copy. The live counts are moved (added) into the copy, so a copy left by a failed
// flush is merged, not lost; the move is one script, so no increment can fall between the read and the delete.
// (HINCRBY in a loop rather than RENAME: the embedded dev engine does not run RENAME inside scripts.)
const TAKE_FOR_FLUSH = `
if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'busy'} end
local live = redis.call('HGETALL', KEYS[1])
for i = 1, #live, 2 do redis.call('HINCRBY', KEYS[2], live[i], live[i + 1]) end
redis.call('DEL', KEYS[1])
local reply = redis.call('HGETALL', KEYS[2])
table.insert(reply, 1, 'ok')
return reply`;

// Only after Postgres took the copy; the lock is released only by its holder (an expired holder's late finish
// must not free a newer flush's lock).
const FINISH_FLUSH = `
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

/** Longer than a flush takes; if a flush dies, the next cron after this retries its copy. */
const FLUSH_LOCK_MS = 60_000;

/** Pure: HGETALL's flat [field, value, ...] reply as post slugs and counts (junk fields skipped). */
export function parseViewCounts(flat: unknown[]): { slugs: string[]; views: number[] } {
  const slugs: string[] = [];
  const views: number[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const slug = flat[i];
    const n = Number(flat[i + 1]);
    if (typeof slug === 'string' && slug.length > 0 && Number.isInteger(n) && n > 0) {
      slugs.push(slug);
      views.push(n);
    }
  }
  return { slugs, views };
}

/** Moves pending views into Postgres; returns how many views were flushed (0 while another flush runs). */
export async function flushViews(deps: Deps): Promise<number> {
  const ns = deps.config.CACHE_NAMESPACE;
  const [live, flushing, lock] = [
    counterKeys.pendingViews(ns),
    counterKeys.flushingViews(ns),
    counterKeys.viewsFlushLock(ns),
  ];
  const token = crypto.randomUUID();
  const [state, ...flat] = await deps.redis.eval<string[], unknown[]>(
    TAKE_FOR_FLUSH,
    [live, flushing, lock],
    [token, String(FLUSH_LOCK_MS)],
  );
  if (state !== 'ok') return 0;
  const counted = parseViewCounts(flat);
  const slugs =
    counted.slugs.length > 0 ? await timed(deps, 'db', () => addViews(deps.sql, counted.slugs, counted.views)) : [];
  await deps.redis.eval(FINISH_FLUSH, [flushing, lock], [token]);
  // The posts' cached entries carry their view counts.
  if (slugs.length > 0) await invalidateQuietly(deps.cache, slugs.flatMap(postEntries));
  return counted.views.reduce((sum, n) => sum + n, 0);
}

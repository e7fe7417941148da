// What the Worker purged from the edge tier. Every test file's Worker purges through the one Workers Cache stand-in's
// channel (test/global-setup.ts), which records each purge call; files run in parallel, so a test finds its own
// calls by a name only its write can purge (a unique slug's `post:<slug>`, a new user's `user:<id>`), counted from
// a mark taken before the write.
import { env } from 'cloudflare:test';
import { expect } from 'vitest';

interface PurgeRecord {
  request: { tags?: string[] };
  success: boolean;
}

async function purgeRecords(): Promise<PurgeRecord[]> {
  const url = String(env.CACHE_PURGE_URL).replace(/\/purge$/, '/purges');
  return (await fetch(url)).json<PurgeRecord[]>();
}

/** The tags of every successful purge call so far, call by call. */
export async function purgedTagSets(): Promise<string[][]> {
  return (await purgeRecords()).filter((record) => record.success).map((record) => record.request.tags ?? []);
}

/** Where the record stands now: purges after a mark are the ones `purgedSince` reads. */
export async function purgeMark(): Promise<number> {
  return (await purgeRecords()).length;
}

/**
 * Every tag purged after `mark` in a call that also purged `marker` (one invalidation purges its names in one call,
 * up to 100 of them); with no marker, every tag purged after `mark`, whoever purged it.
 */
export async function purgedSince(mark: number, marker?: string): Promise<string[]> {
  const records = (await purgeRecords()).slice(mark).filter((record) => record.success);
  const sets = records.map((record) => record.request.tags ?? []);
  return [...new Set(sets.filter((tags) => marker === undefined || tags.includes(marker)).flat())];
}

/** Every tag purged in a call that also purged `marker`, since the run began. */
export async function purgedWith(marker: string): Promise<string[]> {
  return purgedSince(0, marker);
}

/** A response's Cache-Tag names. */
export function edgeTagsOf(response: Response): string[] {
  return (response.headers.get('cache-tag') ?? '').split(',').filter(Boolean);
}

/**
 * The edge copy of each response is gone after the write: each was shared (it carries Cache-Tags) and at least one
 * of its names was purged. `shown` maps a label (its path) to the Cache-Tags it carried before the write.
 */
export function expectEachPurged(shown: Record<string, string[]>, purged: string[]): void {
  for (const [path, tags] of Object.entries(shown)) {
    expect(tags.length, `${path} is shared at the edge`).toBeGreaterThan(0);
    expect(
      tags.filter((tag) => purged.includes(tag)),
      `${path} (Cache-Tag ${tags.join(',')}) is purged by [${purged.join(',')}]`,
    ).not.toEqual([]);
  }
}

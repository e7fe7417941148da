// The cron's work: publish scheduled posts whose time has come, purge dead sessions, then recompute the hottest cache keys so the
// first visitor after a deploy, a publish or an expiry gets a hit.
import { purgeExpiredSessions } from './auth/sessions';
import { cacheKeys, refreshEntry, type CacheKey } from './cache';
import type { Deps } from './context';
import { listTags } from './db/tags';
import { renderFeedDocument, renderSitemapDocument } from './feed-documents';
import { renderJson, storedResponse, type Rendered } from './http-cache';
import { publishDuePosts } from './posts';

export interface WarmReport {
  published: string[];
  purgedSessions: number;
  warmed: string[];
  ms: number;
}

/** A finished response to recompute: its key and how to render it (pages come from functions/, which owns views). */
export interface WarmJob {
  key: CacheKey<unknown>;
  render: () => Promise<Rendered>;
}

export async function runCron(deps: Deps, pages: WarmJob[] = [], now = new Date()): Promise<WarmReport> {
  const start = performance.now();
  // Publishing first, so the warmed pages already list what just went live; the purge is independent of both.
  const [published, purgedSessions] = await Promise.all([publishDuePosts(deps, now), purgeExpiredSessions(deps)]);
  const warmed = await warmCache(deps, pages);
  return { published, purgedSessions, warmed, ms: Math.round(performance.now() - start) };
}

/** Refreshes each hot response under its lease, in parallel; returns the keys actually stored. */
export async function warmCache(deps: Deps, pages: WarmJob[] = []): Promise<string[]> {
  const jobs: WarmJob[] = [
    ...pages,
    { key: cacheKeys.response('api-tags'), render: async () => renderJson({ items: await listTags(deps.sql) }) },
    { key: cacheKeys.response('feed'), render: () => renderFeedDocument(deps) },
    { key: cacheKeys.response('sitemap'), render: () => renderSitemapDocument(deps) },
  ];
  const stored = await Promise.all(
    jobs.map(({ key, render }) => refreshEntry(deps.cache, key, async () => storedResponse(await render()))),
  );
  return jobs.filter((_, i) => stored[i]).map(({ key }) => key.key);
}

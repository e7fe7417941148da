// What a request hands to lib/: its clients (shared by the isolate), config and a way to report timings.
import type { Redis } from '@upstash/redis/cloudflare';
import type { RateLimitState } from './auth/rate-limit';
import type { CacheContext as ReadThroughContext } from './cache';
import { edgePurger, purgeAfterResponse } from './edge-cache';
import { clientsFor, type Sql } from './clients';
import type { Config } from './env';

export interface Deps {
  config: Config;
  sql: Sql;
  /** For reads that tolerate replica lag; the primary when no replica is configured. */
  sqlRead: Sql;
  redis: Redis;
  cache: ReadThroughContext;
  /** Records a duration for the Server-Timing header. */
  metric(name: string, ms: number): void;
  /** Records what a rate limit said, for the RateLimit header fields of the response. */
  rateLimited(state: RateLimitState): void;
}

export interface DepsOptions {
  waitUntil(promise: Promise<unknown>): void;
  metric?: (name: string, ms: number) => void;
  rateLimited?: (state: RateLimitState) => void;
  log?: (message: string, error?: unknown) => void;
  /** The invocation's ctx.cache (Workers Cache), where the platform offers it; CACHE_PURGE_URL stands in locally. */
  edge?: { cache?: CacheContext };
}

export function createDeps(
  config: Config,
  { waitUntil, metric = () => {}, rateLimited = () => {}, log, edge }: DepsOptions,
): Deps {
  const { sql, sqlRead, redis, cacheRedis } = clientsFor(config);
  const purge = edgePurger(edge, config.CACHE_PURGE_URL);
  return {
    config,
    sql,
    sqlRead,
    redis,
    cache: {
      redis: cacheRedis,
      namespace: config.CACHE_NAMESPACE,
      waitUntil,
      log,
      purgeEdge: purge ? (tags) => purgeAfterResponse(purge, tags, { waitUntil, log }) : undefined,
    },
    metric,
    rateLimited,
  };
}

/** Runs `work` and records how long it took under `name`. */
export async function timed<T>(deps: Pick<Deps, 'metric'>, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    deps.metric(name, performance.now() - start);
  }
}

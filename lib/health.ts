// Health probes: one trivial round trip to Neon and one to Upstash, in parallel, each timed.
import type { Deps } from './context';

export interface ProbeResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: ProbeResult;
  cache: ProbeResult;
}

async function probe(check: () => Promise<unknown>): Promise<ProbeResult> {
  const start = performance.now();
  try {
    await check();
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (error) {
    return {
      ok: false,
      ms: Math.round(performance.now() - start),
      error: error instanceof Error ? error.name : 'Error',
    };
  }
}

export async function checkHealth(deps: Deps): Promise<HealthReport> {
  const [database, cache] = await Promise.all([probe(() => deps.sql`SELECT 1`), probe(() => deps.redis.ping())]);
  return { status: database.ok && cache.ok ? 'ok' : 'degraded', database, cache };
}

// The cron trigger: warms the pages visitors hit first, so the first visitor after a deploy gets a cache hit.
import { createDeps } from '../lib/context';
import { loadConfig, type Bindings } from '../lib/env';
import { warmCache } from '../lib/warm';

export async function runScheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
  const deps = createDeps(loadConfig(env), {
    waitUntil: (promise) => ctx.waitUntil(promise),
    log: (message, error) => console.warn(`[cron] ${message}`, error),
  });
  const report = await warmCache(deps);
  console.log(`[cron] warmed ${report.warmed.length} keys in ${report.ms} ms`);
}

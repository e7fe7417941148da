// The cron trigger (wrangler.toml): publishes due scheduled posts, then warms the pages visitors hit first.
import { createDeps } from '../lib/context';
import { loadConfig, type Bindings } from '../lib/env';
import { sweepOrphanMedia } from '../lib/media';
import { runCron } from '../lib/warm';

export async function runScheduled(
  _controller: ScheduledController,
  env: Bindings,
  ctx: ExecutionContext,
): Promise<void> {
  const deps = createDeps(loadConfig(env), {
    waitUntil: (promise) => ctx.waitUntil(promise),
    log: (message, error) => console.warn(`[cron] ${message}`, error),
  });
  // Independent of the publishing and warming, so it runs alongside them.
  const [report, swept] = await Promise.all([runCron(deps), sweepOrphanMedia(deps)]);
  console.log(
    `[cron] published ${report.published.length} due posts, purged ${report.purgedSessions} sessions, flushed ${report.flushedViews} views, warmed ${report.warmed.length} keys in ${report.ms} ms, deleted ${swept.length} unused images`,
  );
}

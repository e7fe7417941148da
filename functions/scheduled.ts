// The cron trigger (wrangler.toml): publishes due scheduled posts, then warms the pages visitors hit first.
import { cacheKeys } from '../lib/cache-keys';
import { createDeps, type Deps } from '../lib/context';
import { loadConfig, type Bindings } from '../lib/env';
import { sweepOrphanMedia } from '../lib/media';
import { sweepNewsletters } from '../lib/newsletter/fanout';
import { forgetUnconfirmedSubscribers } from '../lib/newsletter/subscribers';
import { responseJob, runCron, type WarmJob } from '../lib/warm';
import { renderHomePage } from './pages';

/** Pages the cron renders ahead of visitors (lib/warm.ts adds the feed, sitemap and tag list). */
export function pageWarmJobs(deps: Deps): WarmJob[] {
  return [
    // The home page as visitors get it: the settings' page size.
    responseJob(cacheKeys.response('home', 'default'), () => renderHomePage(deps, {})),
  ];
}

export async function runScheduled(
  _controller: ScheduledController,
  env: Bindings,
  ctx: ExecutionContext,
): Promise<void> {
  const deps = createDeps(loadConfig(env), {
    waitUntil: (promise) => ctx.waitUntil(promise),
    log: (message, error) => console.warn(`[cron] ${message}`, error),
    edge: ctx,
  });
  // Independent of the publishing and warming, so it runs alongside them.
  const [report, swept, forgotten, newsletters] = await Promise.all([
    runCron(deps, pageWarmJobs(deps)),
    sweepOrphanMedia(deps),
    forgetUnconfirmedSubscribers(deps),
    sweepNewsletters(deps),
  ]);
  console.log(
    `[cron] published ${report.published.length} due posts, purged ${report.purgedSessions} sessions and ${report.purgedAccountTokens} mailed tokens, flushed ${report.flushedViews} views, warmed ${report.warmed.length} keys in ${report.ms} ms, deleted ${swept.length} unused images, forgot ${forgotten} unconfirmed subscribers, settled ${newsletters.interrupted} interrupted newsletter mails and restarted ${newsletters.restarted} stalled sends`,
  );
}

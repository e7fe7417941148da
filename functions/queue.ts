// The jobs queue's consumer (wrangler.toml [[queues.consumers]]): each batch goes to lib/jobs with per-batch deps.
import { createDeps } from '../lib/context';
import { loadConfig, type Bindings } from '../lib/env';
import { consumeJobs } from '../lib/jobs/consume';
import type { JobMessage } from '../lib/jobs/messages';

export async function runQueue(batch: MessageBatch<JobMessage>, env: Bindings, ctx: ExecutionContext): Promise<void> {
  const deps = createDeps(loadConfig(env), {
    waitUntil: (promise) => ctx.waitUntil(promise),
    log: (message, error) => console.warn(`[jobs] ${message}`, error),
  });
  await consumeJobs(deps, batch);
}

// GET /healthz: is each backing service reachable, and how long did it take to answer?
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { checkHealth } from '../../lib/health';

export const health = new Hono<AppEnv>().get('/healthz', async (c) => {
  const report = await checkHealth(c.var.deps);
  c.header('Cache-Control', 'no-store');
  return c.json(report, report.status === 'ok' ? 200 : 503);
});

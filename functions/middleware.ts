// Per-request set-up shared by every route: configuration, clients and timings.
import type { MiddlewareHandler } from 'hono';
import { setMetric } from 'hono/timing';
import { createDeps } from '../lib/context';
import { loadConfig, type AppEnv } from '../lib/env';

export function initRequest(): MiddlewareHandler<AppEnv> {
  return async function initRequest(c, next) {
    const config = loadConfig(c.env);
    const requestId = c.get('requestId');
    c.set(
      'deps',
      createDeps(config, {
        waitUntil: (promise) => c.executionCtx.waitUntil(promise),
        metric: (name, ms) => setMetric(c, name, ms),
        log: (message, error) => console.warn(`[${requestId}] ${message}`, error),
      }),
    );
    c.set('user', null);
    await next();
  };
}

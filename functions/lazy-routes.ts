// Route groups loaded on first use. The Worker evaluates at start-up only what a reader's page needs; the JSON API,
// the forms and the admin load (`import()`, a lazy module in the bundle) when a request first reaches their place in
// the app, and each later request dispatches to them in the same isolate. Cold start cost is module evaluation
// (wrangler check startup), so what is never imported at start-up is never paid for by a reader.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../lib/env';
import { handleError, handleNotFound } from './errors';

/** The app's context for each request handed to a group, keyed by the request the group is given. */
const outerContexts = new WeakMap<Request, Context<AppEnv>>();
/** Requests that reached the end of a group unanswered: they go on to the routes after it, as if mounted. */
const passedOn = new WeakSet<Request>();

/**
 * Runs a group's routes as if they were mounted in the app at this point: the request's variables (deps, user,
 * metric, …), the headers set so far and its already read body go in; variables the routes set (sharedPage, …) come
 * back out; errors and `c.notFound()` answer as the app's own do; and a request none of the group's routes answers
 * goes on to `next`.
 */
function runnerFor(group: Hono<AppEnv>): Hono<AppEnv> {
  const runner = new Hono<AppEnv>();
  runner.onError(handleError);
  runner.notFound(handleNotFound);
  runner.use(async function carryContext(c, next) {
    const outer = outerContexts.get(c.req.raw);
    if (outer) {
      for (const [name, value] of Object.entries(outer.var)) c.set(name as never, value as never);
      // Headers a middleware before the group set ahead of the response (Vary: Cookie), as a mounted route's
      // response would carry them.
      for (const [name, value] of outer.res.headers) c.header(name, value, { append: true });
      // A body a middleware before the group read (the form's CSRF token) stays readable.
      c.req.bodyCache = outer.req.bodyCache;
    }
    await next();
    if (outer) for (const [name, value] of Object.entries(c.var)) outer.set(name as never, value as never);
  });
  runner.route('/', group);
  runner.all('*', function passOn(c) {
    passedOn.add(c.req.raw);
    return c.body(null, 404);
  });
  return runner;
}

function executionContextOf(c: Context<AppEnv>): Context<AppEnv>['executionCtx'] | undefined {
  try {
    return c.executionCtx;
  } catch {
    // `app.request` in tests runs without one.
    return undefined;
  }
}

/** A handler standing for the routes of the group `load` imports, loaded when a request first reaches it. */
export function lazyRoutes(load: () => Promise<Hono<AppEnv>>): MiddlewareHandler<AppEnv> {
  let runner: Promise<Hono<AppEnv>> | undefined;
  return async function lazyRoutes(c, next) {
    runner ??= load().then(runnerFor, (error: unknown) => {
      runner = undefined; // a failed load is tried again by the next request
      throw error;
    });
    const request = c.req.raw;
    outerContexts.set(request, c);
    const response = await (await runner).fetch(request, c.env, executionContextOf(c));
    if (!passedOn.has(request)) return response;
    passedOn.delete(request);
    await next();
  };
}

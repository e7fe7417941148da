// The groups the Worker loads on first use (functions/lazy-routes.ts) are reached at every one of their addresses,
// and the app's own routes answer the same way before and after a group has loaded.
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../functions/api-routes';
import { FORM_PATH } from '../functions/form-paths';
import { formRoutes } from '../functions/form-routes';
import { app, loadFullApp } from '../functions/index';
import { call } from './helpers';

/** An address a route pattern matches: each parameter and wildcard filled in. */
function sampleAddress(path: string): string {
  return path.replace(/:\w+(\{[^}]*\})?/g, 'x1').replace(/\*/g, 'x');
}

describe('lazily loaded route groups', () => {
  it('reach every form route: FORM_PATH covers each address of functions/form-routes.ts', () => {
    const uncovered = formRoutes.routes.map((r) => r.path).filter((path) => !FORM_PATH.test(sampleAddress(path)));
    expect(uncovered).toEqual([]);
  });

  it('reach every API route: all of functions/api-routes.ts is under /api/', () => {
    expect(apiRoutes.routes.filter((r) => !r.path.startsWith('/api/'))).toEqual([]);
  });

  it('leave every route of the full app in place, in the same order', async () => {
    const full = await loadFullApp();
    // The served app has a stand-in where each group goes; without them it is the full app without the groups.
    const standIns = app.routes.filter((r) => ['lazyRoutes', 'formRoutes'].includes(r.handler.name));
    expect(standIns.map((r) => `${r.method} ${r.path}`)).toEqual(['ALL /api/*', 'ALL /*']);
    const groups = new Set([...apiRoutes.routes, ...formRoutes.routes].map((r) => r.handler));
    const served = app.routes.filter((r) => !standIns.includes(r)).map((r) => `${r.method} ${r.path}`);
    const composed = full.routes.filter((r) => !groups.has(r.handler)).map((r) => `${r.method} ${r.path}`);
    expect(served).toEqual(composed);
  });

  it('answer with the headers the middleware before them set, as a mounted route does', async () => {
    // functions/auth/session.ts sets Vary: Cookie on every page before its route runs.
    expect((await call('/login')).headers.get('vary')).toContain('Cookie');
  });

  it('pass a request none of their routes answers on to the routes after them', async () => {
    // No subscription page here, so on to the old addresses, then the not-found page.
    const response = await call('/subscribe/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
    // /api itself is no API route; /{slug} finds no page called "api".
    expect((await call('/api')).status).toBe(404);
  });
});

// Middleware every request passes through: per-request set-up, security headers, the API body cap, and who is
// calling. Named functions, so stack traces say which one ran. Every layer costs CPU on every request, cache hits
// included (bench/), so the per-request set-up is one layer, not four.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { createDeps } from '../lib/context';
import { loadConfig, type AppEnv } from '../lib/env';
import { AppError } from '../lib/errors';
import { authenticate } from './auth/middleware';

const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  // Framing by other sites (clickjacking): CSP's successor to X-Frame-Options, which every current browser honours.
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'https:', 'data:'],
};

// Every header costs CPU on every response, hits included (~2 µs each here, bench/), so only those a current
// browser acts on: CSP, HSTS, nosniff, Referrer-Policy, COOP and CORP. Left out: X-Frame-Options (frame-ancestors
// above), X-XSS-Protection (the filter is gone; OWASP advises against it), X-Download-Options (IE 8),
// X-Permitted-Cross-Domain-Policies (Flash and old Acrobat), Origin-Agent-Cluster (the default in browsers that
// know it) and X-DNS-Prefetch-Control (not a security setting).
const obsolete = {
  xFrameOptions: false,
  xXssProtection: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
} as const;

// One policy for every page, /docs included: Swagger UI is served from our own static files and started by one.
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({ contentSecurityPolicy, ...obsolete });
}

/** Big enough for 200 KB of markdown however it is escaped; refused before parsing when larger. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

export function apiBodyLimit(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `Request bodies are limited to ${MAX_API_BODY_BYTES / 1024} KB.`);
    },
  });
}

// A caller's own X-Request-Id is kept when it is plausible, so a proxy's id follows the request through our logs.
const REQUEST_ID = /^[\w=-]{1,255}$/;

/**
 * Sets up each request: its id (X-Request-Id, in logs and problem documents), the deps handed to lib/, and a
 * Server-Timing header naming what the request waited for (`db`, `session`), written only when something was
 * timed. An address with a trailing slash that matched nothing redirects to the one without.
 */
export function requestScope(): MiddlewareHandler<AppEnv> {
  return async function requestScope(c, next) {
    const offered = c.req.header('X-Request-Id');
    const requestId = offered && REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
    const timings: string[] = [];
    c.set('requestId', requestId);
    // Before the config is read: a deployment missing a secret still answers with the id in its problem document.
    c.header('X-Request-Id', requestId);
    c.set(
      'deps',
      createDeps(loadConfig(c.env), {
        waitUntil: (promise) => c.executionCtx.waitUntil(promise),
        metric: (name, ms) => timings.push(`${name};dur=${ms.toFixed(1)}`),
        log: (message, error) => console.warn(`[${requestId}] ${message}`, error),
      }),
    );
    c.set('user', null);
    await next();
    if (timings.length > 0) c.res.headers.set('Server-Timing', timings.join(', '));
    const { path } = c.req;
    if (c.res.status === 404 && path.length > 1 && path.endsWith('/') && ['GET', 'HEAD'].includes(c.req.method)) {
      const url = new URL(c.req.url);
      url.pathname = path.slice(0, -1);
      c.res = c.redirect(url.toString(), 301);
    }
  };
}

// Signing in and refreshing are how a client recovers from an expired access token, which it may still send.
const TOKENLESS_ROUTES = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout']);

/** Identifies the caller from a bearer token on every API route except those that issue tokens. */
export function authenticateApi(): MiddlewareHandler<AppEnv> {
  const check = authenticate();
  return function authenticateApi(c, next) {
    return TOKENLESS_ROUTES.has(c.req.path) ? next() : check(c, next);
  };
}

// Machine-read addresses outside /api that carry no viewer parts and take no form posts.
const NON_PAGE = /^\/(?:api\/|media\/|openapi\.json$|docs$|static\/|healthz$|feed\.xml$|sitemap\.xml$|robots\.txt$)/;

/** Runs `middleware` on HTML page routes only (the browser session and form CSRF checks). */
export function pagesOnly(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return function pagesOnly(c, next) {
    return NON_PAGE.test(c.req.path) ? next() : middleware(c, next);
  };
}

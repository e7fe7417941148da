// Middleware every request passes through: security headers, the API body cap, per-request set-up, and who is
// calling. Named functions, so stack traces say which one ran.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { setMetric, timing } from 'hono/timing';
import { rateLimitHeaderFields, type RateLimitState } from '../lib/auth/rate-limit';
import { createDeps } from '../lib/context';
import { loadConfig, type AppEnv } from '../lib/env';
import { AppError } from '../lib/errors';
import { markPersonal } from './edge-headers';

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

/**
 * Workers Cache stores a response with no Cache-Control at all ("Responses with no Cache-Control header are still
 * cached": a 200 for two hours, a 404 for three minutes; developers.cloudflare.com/workers/cache/configuration/), so
 * every response no route marked (shareAtEdge, or its own Cache-Control) leaves as `private, no-store`. Responses
 * that set a cookie or answer a bearer token are personal whatever the route said.
 */
export function edgeCachePolicy(): MiddlewareHandler<AppEnv> {
  return async function edgeCachePolicy(c, next) {
    await next();
    const headers = c.res.headers;
    if (headers.has('Set-Cookie') || c.req.header('Authorization') !== undefined || !headers.has('Cache-Control')) {
      markPersonal(c);
    }
  };
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

/** Server-Timing names what a request waited for (`db`, `session`), and is written only when something was timed. */
export function serverTiming(): MiddlewareHandler<AppEnv> {
  return timing({ total: false, enabled: (c) => (c.get('metric')?.headers.length ?? 0) > 0 });
}

/**
 * The request's id, for logs and error responses: Cloudflare's CF-Ray (which Cloudflare already puts on every
 * response and in its logs), or a UUID where there is none (local runs), made on first use. Only a failure or a log
 * line needs one, so a cache hit makes none: minting and sending one on every response (hono's requestId) was ~10 µs
 * of a hit's CPU (bench/).
 */
export function requestIdOf(c: Context<AppEnv>): string {
  let id = c.get('requestId');
  if (!id) {
    id = c.req.header('CF-Ray') ?? crypto.randomUUID();
    c.set('requestId', id);
  }
  return id;
}

/** The invocation's context, whose `cache` is Workers Cache where deployed; none under `app.request` in tests. */
function platformContext(c: Context<AppEnv>): { cache?: CacheContext } | undefined {
  try {
    return c.executionCtx as { cache?: CacheContext };
  } catch {
    return undefined;
  }
}

export function initRequest(): MiddlewareHandler<AppEnv> {
  return async function initRequest(c, next) {
    const config = loadConfig(c.env);
    let rateLimits: RateLimitState[] | undefined;
    c.set(
      'deps',
      createDeps(config, {
        waitUntil: (promise) => c.executionCtx.waitUntil(promise),
        metric: (name, ms) => setMetric(c, name, ms),
        rateLimited: (state) => (rateLimits ??= []).push(state),
        log: (message, error) => console.warn(`[${requestIdOf(c)}] ${message}`, error),
        edge: platformContext(c),
      }),
    );
    c.set('user', null);
    await next();
    // Set on whatever the request ended in (a success, a 401, the 429 itself): each counted against these limits.
    if (rateLimits)
      for (const [name, value] of Object.entries(rateLimitHeaderFields(rateLimits))) c.res.headers.set(name, value);
  };
}

// Signing in and refreshing are how a client recovers from an expired access token, which it may still send.
const TOKENLESS_ROUTES = new Set([
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/refresh',
  '/api/auth/logout',
  // Recovering an account is for people who cannot sign in.
  '/api/auth/password-reset',
  '/api/auth/password-reset/confirm',
  // A mailed link may be opened anywhere, signed in or not.
  '/api/auth/verify-email/confirm',
  '/api/auth/email-change/confirm',
]);

/**
 * Identifies the caller from a bearer token on every API route except those that issue tokens. The token and user
 * checks load with the first API request, as the API itself does (functions/index.ts): no page needs them.
 */
export function authenticateApi(): MiddlewareHandler<AppEnv> {
  let check: Promise<MiddlewareHandler<AppEnv>> | undefined;
  return async function authenticateApi(c, next) {
    if (TOKENLESS_ROUTES.has(c.req.path)) return next();
    check ??= import('./auth/middleware').then(({ authenticate }) => authenticate());
    return (await check)(c, next);
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

// The one place errors become responses: problem+json under /api, a friendly page everywhere else.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ConfigError, type AppEnv } from '../lib/env';
import { AppError, fromDatabaseError, toProblem, type ErrorCode } from '../lib/errors';
import { MarkdownError } from '../lib/markdown';
import { defaultSettings, readSettings, settingsTitled, type SiteSettings } from '../lib/settings';
import { requestIdOf } from './middleware';
import { ErrorPage } from './pages/views/error-page';

/** Hono's own middleware (validators, body limit, JWT) throws HTTPException; keep its status, use our shape. */
const httpExceptionCodes: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof MarkdownError) return new AppError('bad_request', error.message);
  if (error instanceof HTTPException) {
    const code = httpExceptionCodes[error.status];
    if (code) return new AppError(code, error.message || undefined);
  }
  return fromDatabaseError(error) ?? new AppError('internal', 'Something went wrong on our side. It has been logged.');
}

function wantsJson(c: Context): boolean {
  const path = new URL(c.req.url).pathname;
  return path.startsWith('/api/') || path === '/api' || path === '/healthz' || path === '/openapi.json';
}

export function respondWithError(c: Context<AppEnv>, appError: AppError): Response | Promise<Response> {
  const requestId = requestIdOf(c);
  // The same id as in the problem body or on the page, for a report that quotes either.
  c.header('X-Request-Id', requestId);
  for (const [name, value] of Object.entries(appError.extra.headers ?? {})) c.header(name, value);
  if (wantsJson(c)) {
    const problem = toProblem(appError, new URL(c.req.url).pathname, requestId);
    return c.body(JSON.stringify(problem), appError.status as 400, { 'Content-Type': 'application/problem+json' });
  }
  return siteForErrorPage(c).then((site) =>
    c.html(
      <ErrorPage status={appError.status} message={appError.message} requestId={requestId} site={site} />,
      appError.status as 400,
    ),
  );
}

export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    // Logged with the request id so an operator can find it; the client sees no SQL and no stack.
    const detail = error instanceof ConfigError ? error.message : error;
    console.error(`[${requestIdOf(c)}] ${c.req.method} ${c.req.path} failed:`, detail);
  }
  return respondWithError(c, appError);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  respondWithError(c, new AppError('not_found', `Nothing lives at ${c.req.path}.`));

/**
 * The settings an error page is shown with. An error page must never fail in turn: with no configuration (the error
 * may be that it is missing) or no settings to be had (the database may be what failed), it falls back.
 */
async function siteForErrorPage(c: Context<AppEnv>): Promise<SiteSettings> {
  const deps = c.get('deps') as AppEnv['Variables']['deps'] | undefined;
  if (!deps) return FALLBACK_SETTINGS;
  return readSettings(deps).catch(() => defaultSettings(deps.config));
}

const FALLBACK_SETTINGS = settingsTitled('lembas', '');

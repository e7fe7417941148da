// A factory for OpenAPI sub-apps, so every router answers invalid input with the same problem+json shape.
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/env';
import { Problem } from '../lib/schemas/common';
import { AppError, fieldErrorsFromZod } from '../lib/errors';

/** Hono names request parts by parser; clients think of the body, whatever its encoding. */
const targetNames: Record<string, string> = { json: 'body', form: 'body' };

const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw new AppError('validation_failed', 'The request did not pass validation.', {
      errors: fieldErrorsFromZod(result.error.issues, targetNames[result.target] ?? result.target),
    });
  }
};

export function createApi(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

// Pieces every route definition repeats, so the OpenAPI document describes them one way everywhere.

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T>(schema: T, required = true) => ({ required, content: { 'application/json': { schema } } });

/** Marks a route as taking `Authorization: Bearer <access token>` (the scheme is registered in index.ts). */
export const bearerAuth = [{ bearerAuth: [] }];

const RETRY_AFTER = {
  'Retry-After': {
    required: true,
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer' as const, minimum: 1 },
    example: 41,
  },
};

/** The draft-ietf-httpapi-ratelimit-headers fields a rate-limited operation sends (functions/middleware.ts). */
const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': {
    required: true,
    description:
      'The limits this request counted against (draft-ietf-httpapi-ratelimit-headers), one list item each: ' +
      '`"<name>";q=<attempts>;w=<window in seconds>`.',
    schema: { type: 'string' as const },
    example: '"loginPerIp";q=10;w=60, "loginPerAccountFromIp";q=5;w=900',
  },
  RateLimit: {
    required: true,
    description:
      'What is left of each limit after this request: `"<name>";r=<attempts left>;t=<seconds until its window ' +
      'ends>`. A client that waits when r reaches 0 is never refused.',
    schema: { type: 'string' as const },
    example: '"loginPerIp";r=9;t=41, "loginPerAccountFromIp";r=4;t=841',
  },
};

/** A response of a rate-limited operation: it says how much of each limit is left. */
export function rateLimited<T extends object>(response: T) {
  return { ...response, headers: RATE_LIMIT_HEADERS };
}

/** The 429 (a limit reached) and 503 (the limiter fails closed) of a rate-limited operation. */
export function rateLimitErrors(tooMany = 'Too many attempts; see Retry-After and RateLimit') {
  return {
    429: { ...problemResponse(tooMany), headers: { ...RETRY_AFTER, ...RATE_LIMIT_HEADERS } },
    503: {
      ...problemResponse('Attempts cannot be counted right now (the limiter fails closed); see Retry-After'),
      headers: RETRY_AFTER,
    },
  };
}

export const bodyErrors = {
  400: problemResponse('The body is not valid JSON'),
  415: problemResponse('The body is not JSON'),
  422: problemResponse('The body did not pass validation'),
};

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

export const bodyErrors = {
  400: problemResponse('The body is not valid JSON'),
  415: problemResponse('The body is not JSON'),
  422: problemResponse('The body did not pass validation'),
};

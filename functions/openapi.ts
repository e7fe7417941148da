// A factory for OpenAPI sub-apps, so every router answers invalid input with the same problem+json shape.
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/env';
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

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchemaRef } },
});

import { Problem as ProblemSchemaRef } from '../lib/schemas/common';

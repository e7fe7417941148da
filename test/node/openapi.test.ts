// Runs in Node: the validator compiles JSON Schemas to code, which workerd (rightly) does not allow.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import worker from '../../functions/index';

const env = {
  DATABASE_URL: 'postgres://user:pass@db.example/blog',
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
  UPSTASH_REDIS_REST_TOKEN: 'unused',
  JWT_SECRET: 'x'.repeat(32),
  SITE_URL: 'https://blog.example',
};
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

async function openApiDocument(): Promise<Record<string, any>> {
  const response = await worker.fetch(new Request('https://blog.example/openapi.json'), env as never, ctx);
  expect(response.status).toBe(200);
  return response.json() as Promise<Record<string, any>>;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = await openApiDocument();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every API route', async () => {
    const document = await openApiDocument();
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /api/posts',
        'POST /api/posts',
        'GET /api/posts/{slug}',
        'PATCH /api/posts/{id}',
        'DELETE /api/posts/{id}',
        'GET /api/posts/{slug}/related',
        'POST /api/markdown/preview',
        'GET /api/tags',
        'GET /api/tags/{slug}',
        'POST /api/tags',
        'PATCH /api/tags/{slug}',
        'DELETE /api/tags/{slug}',
        'POST /api/auth/register',
        'POST /api/auth/login',
        'POST /api/auth/refresh',
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'GET /api/users',
        'POST /api/users',
        'GET /api/users/{id}',
        'PATCH /api/users/{id}',
        'DELETE /api/users/{id}',
      ]),
    );
  });

  it('describes errors as problem+json and declares bearer auth', async () => {
    const document = await openApiDocument();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/api/posts'].post.responses['422'].content).toHaveProperty('application/problem+json');
  });
});

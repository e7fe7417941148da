// Runs in Node: the validator compiles JSON Schemas to code, which workerd (rightly) does not allow.
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi-document';

type Json = Record<string, any>;
let document: Json;

beforeAll(async () => {
  document = await buildOpenApiDocument();
});

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(): { name: string; operation: Json }[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation: operation as Json })),
  );
}

function resolve(schema: Json | undefined): Json | undefined {
  let current = schema;
  while (current?.$ref) {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<Json>((node, key) => node[key], document);
  }
  return current;
}

/** Every string, number and array in a schema that has no upper bound (and numbers with no lower one). */
function unbounded(schema: Json | undefined, where: string, seen = new Set<Json>()): string[] {
  const s = resolve(schema);
  if (!s || seen.has(s)) return [];
  seen.add(s);
  const found: string[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const part of (s[key] as Json[] | undefined) ?? []) found.push(...unbounded(part, where, seen));
  const types = ([] as string[]).concat(s.type ?? []);
  const closed = s.enum !== undefined || s.const !== undefined;
  if (types.includes('string') && !closed && s.format !== 'binary' && s.maxLength === undefined)
    found.push(`${where}: string without maxLength`);
  if (types.some((t) => t === 'integer' || t === 'number')) {
    if (s.maximum === undefined && s.exclusiveMaximum === undefined) found.push(`${where}: number without maximum`);
    if (s.minimum === undefined && s.exclusiveMinimum === undefined) found.push(`${where}: number without minimum`);
  }
  if (types.includes('array')) {
    if (s.maxItems === undefined) found.push(`${where}: array without maxItems`);
    found.push(...unbounded(s.items, `${where}[]`, seen));
  }
  for (const [name, property] of Object.entries((s.properties as Json | undefined) ?? {}))
    found.push(...unbounded(property, `${where}.${name}`, seen));
  return found;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every API route, a post by id under /api/posts/{id} and by slug at its own path', async () => {
    expect(operations().map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'GET /api/posts',
        'POST /api/posts',
        'GET /api/posts/{id}',
        'GET /api/posts/by-slug/{slug}',
        'PATCH /api/posts/{id}',
        'DELETE /api/posts/{id}',
        'GET /api/posts/{id}/related',
        'GET /api/posts/{id}/comments',
        'POST /api/posts/{id}/comments',
        'PUT /api/posts/{id}/reactions/{kind}',
        'DELETE /api/posts/{id}/reactions/{kind}',
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
    // The previous release's slug addresses redirect (functions/posts/legacy.ts) and are not part of the contract.
    expect(Object.keys(document.paths)).not.toContain('/api/posts/{slug}');
  });

  it('gives every operation a unique operationId, a description and declared tags', async () => {
    const declared = (document.tags as Json[]).map((tag) => tag.name);
    for (const tag of document.tags as Json[])
      expect([tag.name, tag.description]).toEqual([tag.name, expect.any(String)]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { name, operation } of operations()) {
      expect([name, operation.operationId, operation.description]).toEqual([
        name,
        expect.any(String),
        expect.any(String),
      ]);
      expect([name, operation.tags.every((tag: string) => declared.includes(tag))]).toEqual([name, true]);
    }
    expect(document.info).toMatchObject({ contact: { url: expect.any(String) }, license: { name: 'MIT' } });
  });

  it('bounds every string, number and array a client sends, as the zod schemas do', async () => {
    const found = operations().flatMap(({ name, operation }) => [
      ...((operation.parameters as Json[] | undefined) ?? []).flatMap((parameter) =>
        unbounded(parameter.schema, `${name} ${parameter.in} ${parameter.name}`),
      ),
      ...Object.entries((operation.requestBody?.content as Json | undefined) ?? {}).flatMap(([type, media]) =>
        unbounded((media as Json).schema, `${name} body (${type})`),
      ),
    ]);
    expect(found).toEqual([]);
  });

  it('documents the rate limits: 429 with Retry-After, and the RateLimit header fields', async () => {
    for (const [path, method, success] of [
      ['/api/auth/register', 'post', '201'],
      ['/api/auth/login', 'post', '200'],
      ['/api/posts/{id}/comments', 'post', '201'],
    ] as const) {
      const responses = document.paths[path][method].responses;
      expect([path, Object.keys(responses['429'].headers)]).toEqual([
        path,
        ['Retry-After', 'RateLimit-Policy', 'RateLimit'],
      ]);
      expect([path, Object.keys(responses[success].headers)]).toEqual([path, ['RateLimit-Policy', 'RateLimit']]);
      expect([path, Object.keys(responses['503'].headers)]).toEqual([path, ['Retry-After']]);
    }
  });

  it('describes errors as problem+json and declares bearer auth', async () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/api/posts'].post.responses['422'].content).toHaveProperty('application/problem+json');
  });
});

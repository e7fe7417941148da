// The README's API tour, driven by a client generated from the live OpenAPI document: openapi-typescript's types
// (api-types.ts, checked below to be exactly what the document makes today) and openapi-fetch's calls, against the
// Worker built in Node over the stand-ins. Every response is held to the document: a status it does not list, a
// missing required header or a body that breaks its schema fails the test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import createClient, { type Middleware } from 'openapi-fetch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../dev/stack';
import { createTestDatabase, type TestDatabase } from '../../dev/test-database';
import worker from '../../functions/index';
import { hashPassword } from '../../lib/auth/password';
import { insertUser } from '../../lib/db/users';
import { useLocalTextTools } from '../../lib/text';
import { localTextTools } from '../../lib/text/local';
import type { paths } from './api-types';
import { buildOpenApiDocument } from './openapi-document';
import { responseChecker } from './response-check';
import { generateApiTypes } from './typegen/generate';

const ORIGIN = 'https://blog.example';
const TYPES_FILE = fileURLToPath(new URL('./api-types.ts', import.meta.url));

let stack: Stack;
let database: TestDatabase | undefined;
let document: Record<string, any>;
let checker: ReturnType<typeof responseChecker>;
let workerEnv: Record<string, string>;
const mismatches: string[] = [];

beforeAll(async () => {
  // The Worker runs in Node here, with no service binding to the text Worker: its tools run in this process.
  useLocalTextTools(localTextTools);
  database = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  stack = await startStack({
    upstashToken: `client-test-${process.pid}`,
    databaseUrl: database?.url,
    redisUrl: process.env.REDIS_URL,
    mailPort: 0,
  });
  workerEnv = {
    ...stack.workerVars,
    JWT_SECRET: 'client-test-secret-that-is-at-least-32-characters',
    SITE_URL: ORIGIN,
    // A fresh namespace per run, so a real Redis shared between runs never serves another run's data.
    CACHE_NAMESPACE: `client${Date.now()}`,
  };
  document = await buildOpenApiDocument();
  checker = responseChecker(document);
});

afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

afterEach(() => {
  expect(mismatches.splice(0)).toEqual([]);
});

/** The Worker's fetch handler as the client's `fetch`, waiting for its background work (cache fills) as workerd does. */
async function workerFetch(request: Request): Promise<Response> {
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException() {}, props: {} };
  const response = await worker.fetch(request, workerEnv as never, ctx as unknown as ExecutionContext);
  while (pending.length > 0) await Promise.allSettled(pending.splice(0));
  return response;
}

const holdToDocument: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    mismatches.push(...(await checker.check(request.method, schemaPath, response)));
  },
};

function apiClient() {
  const client = createClient<paths>({ baseUrl: ORIGIN, fetch: workerFetch });
  client.use(holdToDocument);
  return client;
}

describe('a client generated from /openapi.json', () => {
  it('has its types from the live document (run `npm run openapi:types` after changing a route)', async () => {
    expect(await generateApiTypes(document, TYPES_FILE)).toBe(readFileSync(TYPES_FILE, 'utf8'));
  });

  it('takes the README tour: sign up, sign in, write, comment, react, read back, page through', async () => {
    const api = apiClient();
    // The demo admin of the tour, as `npm run create-admin` makes one.
    const adminPassword = 'an admin passphrase for the tour';
    await insertUser(stack.sql, {
      email: 'admin@tour.example',
      username: 'touradmin',
      displayName: 'Tour Admin',
      role: 'admin',
      passwordHash: await hashPassword(adminPassword, { iterations: 1_000 }),
    });

    const signedUp = await api.POST('/api/auth/register', {
      body: { email: 'reader@tour.example', username: 'tourreader', password: 'a long passphrase' },
    });
    expect([signedUp.response.status, signedUp.data?.role]).toEqual([201, 'reader']);
    const readerLogin = await api.POST('/api/auth/login', {
      body: { email: 'reader@tour.example', password: 'a long passphrase' },
    });
    expect(readerLogin.response.headers.get('ratelimit')).toMatch(/^"loginPerIp";r=\d+;t=\d+, /);
    const reader = { Authorization: `Bearer ${readerLogin.data!.accessToken}` };
    const adminLogin = await api.POST('/api/auth/login', {
      body: { email: 'admin@tour.example', password: adminPassword },
    });
    const admin = { Authorization: `Bearer ${adminLogin.data!.accessToken}` };

    const created = await api.POST('/api/posts', {
      headers: admin,
      body: {
        title: 'Hello from a client',
        markdown: '## Hi\n\nWritten at the edge.',
        status: 'published',
        tags: ['Notes'],
      },
    });
    expect(created.response.status).toBe(201);
    const post = created.data!;
    const byId = { params: { path: { id: post.id } } };
    const edited = await api.PATCH('/api/posts/{id}', {
      ...byId,
      headers: admin,
      body: { version: 1, title: 'Hello again' },
    });
    expect(edited.data?.version).toBe(2);
    const stale = await api.PATCH('/api/posts/{id}', {
      ...byId,
      headers: admin,
      body: { version: 1, title: 'Too late' },
    });
    expect([stale.response.status, stale.error?.code]).toEqual([409, 'version_conflict']);

    const comment = await api.POST('/api/posts/{id}/comments', {
      ...byId,
      headers: reader,
      body: { body: 'Lovely *post*. <script>alert(1)</script>' },
    });
    expect(comment.response.status).toBe(201);
    expect(comment.data?.html).not.toContain('<script>');
    const liked = await api.PUT('/api/posts/{id}/reactions/{kind}', {
      params: { path: { id: post.id, kind: 'like' } },
      headers: reader,
    });
    expect(liked.data).toMatchObject({ kind: 'like', reacted: true, counts: { like: 1 } });

    const read = await api.GET('/api/posts/by-slug/{slug}', { params: { path: { slug: post.slug } } });
    expect(read.data).toMatchObject({ id: post.id, title: 'Hello again', version: 2, reactions: { like: 1 } });
    expect((await api.GET('/api/posts/{id}', byId)).data?.slug).toBe(post.slug);
    const thread = await api.GET('/api/posts/{id}/comments', byId);
    expect(thread.data?.total).toBe(1);
    expect(thread.data?.items[0]?.html).toContain('<p>Lovely <em>post</em>.');
    expect((await api.GET('/api/posts/{id}/related', byId)).response.status).toBe(200);
    expect((await api.GET('/api/auth/me', { headers: reader })).data?.username).toBe('tourreader');

    for (const n of [1, 2, 3]) {
      const more = await api.POST('/api/posts', {
        headers: admin,
        body: { title: `Page ${n}`, markdown: `Post ${n}.`, status: 'published' },
      });
      expect(more.response.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.GET('/api/posts', { params: { query: { limit: 2, cursor, fields: 'slug,title' } } });
      expect(page.response.status).toBe(200);
      seen.push(...page.data!.items.map((item) => item.slug!));
      cursor = page.data!.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toContain(post.slug);
  });

  it('holds each answer to its operation: an undocumented status or a body that breaks its schema is caught', async () => {
    const post = { id: 1, slug: 'x' };
    expect(checker.bodyErrors('get', '/api/posts/{id}', 200, 'application/json', post)).not.toEqual([]);
    const teapot = new Response('{}', { status: 418, headers: { 'content-type': 'application/json' } });
    expect(await checker.check('GET', '/api/posts/{id}', teapot)).toEqual([
      'GET /api/posts/{id} 418: the status is not documented',
    ]);
    const bare = new Response(JSON.stringify({ id: 1 }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
    const problems = await checker.check('POST', '/api/auth/register', bare);
    expect(problems).toEqual(
      expect.arrayContaining([
        'POST /api/auth/register 201: no RateLimit-Policy header',
        'POST /api/auth/register 201: no RateLimit header',
        expect.stringContaining("must have required property 'username'"),
      ]),
    );
  });
});

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../functions/index';
import { call, createPost, jsonRequest, unique, uniqueIp } from './helpers';

async function callWith(bindings: typeof env, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://blog.example${path}`), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('a deployment missing a secret', () => {
  const broken = { ...env, JWT_SECRET: undefined };

  it('answers the API with a 500 problem that names no secret, no SQL and no stack', async () => {
    const response = await callWith(broken, '/api/posts');
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = await response.text();
    const problem = JSON.parse(body) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 500, code: 'internal', requestId: response.headers.get('x-request-id') });
    expect(body).not.toMatch(/JWT_SECRET|at \w+ \(|\.ts:\d+/);
  });

  it('shows visitors a friendly error page', async () => {
    const response = await callWith(broken, '/');
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Something broke on our side');
  });
});

describe('a database that cannot be reached', () => {
  it('reports the health check as degraded with 503, naming which dependency failed', async () => {
    const response = await callWith({ ...env, NEON_FETCH_ENDPOINT: 'http://127.0.0.1:9/sql' }, '/healthz');
    expect(response.status).toBe(503);
    const report = await response.json<Record<string, any>>();
    expect(report).toMatchObject({ status: 'degraded', database: { ok: false }, cache: { ok: true } });
  });
});

describe('when Neon cannot be reached', () => {
  const neonDown = () => ({ ...env, NEON_FETCH_ENDPOINT: 'http://127.0.0.1:9/sql' });

  it('still serves what the cache holds', async () => {
    const { slug } = await createPost();
    expect((await call(`/api/posts/by-slug/${slug}`)).status).toBe(200); // fills the cache
    const response = await callWith(neonDown(), `/api/posts/by-slug/${slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('HIT');
  });

  it('answers what the cache lacks with 503 and Retry-After, as problem+json or a friendly page', async () => {
    const api = await callWith(neonDown(), `/api/posts/by-slug/${unique('uncached')}`);
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect((await api.json<Record<string, unknown>>()).code).toBe('unavailable');
    const page = await callWith(neonDown(), `/posts/${unique('uncached')}`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('We are briefly unavailable');
  });
});

describe('a NUL character in text', () => {
  it('is refused with 422, never a 500, in a search or a sign-up', async () => {
    expect((await call('/api/posts?q=a%00b')).status).toBe(422);
    const name = unique('nul').replaceAll('-', '_').slice(0, 32);
    const response = await call(
      '/api/auth/register',
      jsonRequest(
        'POST',
        { email: `${name}@example.com`, username: name, displayName: 'a\u0000b', password: 'a sturdy passphrase 42' },
        { 'CF-Connecting-IP': uniqueIp() },
      ),
    );
    expect(response.status).toBe(422);
  });

  it('gets the friendly error page on the HTML search', async () => {
    const response = await call('/search?q=a%00b');
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('request ids', () => {
  const fetchWith = async (path: string, headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`https://blog.example${path}`, { headers }), env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };

  it("names an error by Cloudflare's CF-Ray, in the problem and in X-Request-Id", async () => {
    const response = await fetchWith('/api/posts/by-slug/no-such-post-anywhere', { 'CF-Ray': '8f1c2d3e4f5a6b7c-LHR' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('8f1c2d3e4f5a6b7c-LHR');
    expect(await response.json()).toMatchObject({ requestId: '8f1c2d3e4f5a6b7c-LHR' });
  });

  it('makes one up where there is no CF-Ray, the same on the error page as in the header', async () => {
    const response = await fetchWith('/no-such-page-anywhere');
    expect(response.status).toBe(404);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).toContain(`Request id: ${id}`);
  });

  it('is not made for a response that succeeds', async () => {
    const response = await fetchWith('/robots.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBeNull();
  });
});

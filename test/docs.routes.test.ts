import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call } from './helpers';

describe('GET /docs', () => {
  it('serves Swagger UI from our own static files, under the same strict CSP as every page', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('src="/static/swagger-ui/swagger-ui-bundle.js"');
    expect(html).toContain('href="/static/swagger-ui/swagger-ui.css"');
    expect(html).toContain('data-spec-url="/openapi.json"');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // No inline script: the page starts Swagger UI from a file.
    expect(html).not.toMatch(/<script>/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('cdn.jsdelivr.net');
  });
});

// The platform answers these before the Worker runs; in workerd tests the [assets] binding reaches the same files
// (SELF goes straight to the Worker in this pool version).
// Not part of the Worker's own Bindings type (loadConfig reads strings only).
const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS;

describe('static assets (Workers Static Assets, public/)', () => {
  it.each([
    ['/static/swagger-ui/swagger-ui-bundle.js', 'javascript', 'SwaggerUIBundle'],
    ['/static/swagger-ui/swagger-ui.css', 'text/css', '.swagger-ui'],
    ['/static/docs.js', 'javascript', 'SwaggerUIBundle'],
    ['/static/site.css', 'text/css', '--accent'],
    ['/favicon.svg', 'image/svg+xml', '<svg'],
  ])('serves %s', async (path, type, marker) => {
    const response = await assets.fetch(`https://blog.example${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(type);
    expect(await response.text()).toContain(marker);
  });

  it('serves the favicon.ico browsers ask for unprompted', async () => {
    const response = await assets.fetch('https://blog.example/favicon.ico');
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0, 0, 1, 0]));
  });
});

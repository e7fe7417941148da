import { describe, expect, it } from 'vitest';
import { call } from './helpers';

describe('GET /docs', () => {
  it('serves the interactive API docs pointed at /openapi.json, with a CSP that lets them load', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('SwaggerUIBundle');
    expect(html).toContain("url: '/openapi.json'");
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('https://cdn.jsdelivr.net');
    expect(csp).toContain("object-src 'none'");
  });

  it('keeps the strict policy everywhere else', async () => {
    const csp = (await call('/openapi.json')).headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-inline');
  });
});

import { describe, expect, it } from 'vitest';
import { call } from './helpers';

describe('GET /healthz', () => {
  it('reports the database and the cache reachable, each timed', async () => {
    const response = await call('/healthz');
    expect(response.status).toBe(200);
    const report = await response.json<Record<string, any>>();
    expect(report.status).toBe('ok');
    expect(report.database).toMatchObject({ ok: true, ms: expect.any(Number) });
    expect(report.cache).toMatchObject({ ok: true, ms: expect.any(Number) });
  });
});

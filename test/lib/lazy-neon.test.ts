// The Neon client that loads its driver on the first query (lib/lazy-neon.ts): queries, raw fragments and nested
// queries written before the driver loaded run as the driver's own would, alone or in a transaction.
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../lib/env';

/** A fresh copy of the module, so its driver is not loaded yet whatever other tests in this isolate did. */
async function freshClient() {
  vi.resetModules();
  const { lazyNeon } = await import('../../lib/lazy-neon');
  const { DATABASE_URL, NEON_FETCH_ENDPOINT: endpoint } = loadConfig(env);
  return lazyNeon(DATABASE_URL, ({ neonConfig }) => {
    if (endpoint) neonConfig.fetchEndpoint = endpoint;
  });
}

describe('a Neon client loaded on first use', () => {
  it('runs a query written before the driver loaded, with a raw fragment and a nested query in it', async () => {
    const sql = await freshClient();
    const column = sql.unsafe('1 AS one');
    const inner = sql`SELECT 2`;
    expect(await sql`SELECT ${column}, (${inner}) AS two, ${'three'}::text AS three`).toEqual([
      { one: 1, two: 2, three: 'three' },
    ]);
  });

  it('runs a transaction of queries written before the driver loaded, in order', async () => {
    const sql = await freshClient();
    const queries = [sql`SELECT ${1}::int AS n`, sql.query('SELECT $1::int AS n', [2])];
    expect(await sql.transaction(queries, { readOnly: true })).toEqual([[{ n: 1 }], [{ n: 2 }]]);
  });

  it('passes errors through as the driver raises them, and goes straight to the driver once loaded', async () => {
    const sql = await freshClient();
    await expect(sql`SELECT * FROM no_such_table`).rejects.toMatchObject({ name: 'NeonDbError', code: '42P01' });
    const loaded = sql`SELECT 1 AS one`;
    // The driver's own query object, not a deferred stand-in.
    expect(loaded.constructor.name).toBe('NeonQueryPromise');
    expect(await loaded).toEqual([{ one: 1 }]);
    expect(await sql.transaction((tx) => [tx`SELECT 1 AS one`])).toEqual([[{ one: 1 }]]);
  });
});

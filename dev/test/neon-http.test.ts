// Proves the Neon stand-in speaks the real `neon()` client's protocol, on PGlite always and on Postgres when DATABASE_URL is set.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNeonHttp, type NeonHttpOptions, type StandIn } from '../standins/neon-http';

// Host, port and credentials are ignored by the stand-in but required by the client.
const CONNECTION = 'postgres://u:p@db.local/neondb';
// One schema name per run keeps parallel runs on a shared Postgres apart and the two backends' outputs comparable.
const SCHEMA = `neon_standin_${process.pid}_${Date.now().toString(36)}`;
const ITEMS = `${SCHEMA}.items`;

const BACKENDS: Array<{ name: string; options: NeonHttpOptions }> = [{ name: 'pglite', options: {} }];
if (process.env.DATABASE_URL) BACKENDS.push({ name: 'postgres', options: { databaseUrl: process.env.DATABASE_URL } });

/** Normalised client output per backend and case, diffed at the end: only error file/line may differ. */
const outputs = new Map<string, Record<string, unknown>>();

for (const backend of BACKENDS) {
  describe(`neon() over the stand-in on ${backend.name}`, () => {
    let standIn: StandIn;
    const logged: string[] = [];
    const seen: Record<string, unknown> = {};
    outputs.set(backend.name, seen);
    const record = (name: string, value: unknown): void => {
      seen[name] = snapshot(value);
    };
    const sql = neon(CONNECTION);
    const items = sql.unsafe(ITEMS);

    beforeAll(async () => {
      standIn = await startNeonHttp({ ...backend.options, log: (line) => logged.push(line) });
      neonConfig.fetchEndpoint = standIn.url;
      await sql.query(`CREATE SCHEMA ${SCHEMA}`);
      await sql.query(
        `CREATE TABLE ${ITEMS} (id serial PRIMARY KEY, name text UNIQUE NOT NULL, qty int4 NOT NULL DEFAULT 0, tag text)`,
      );
    });

    beforeEach(() => {
      // fetchEndpoint is global in the client; each backend's suite points it at its own stand-in.
      neonConfig.fetchEndpoint = standIn.url;
    });

    afterAll(async () => {
      if (standIn === undefined) return;
      neonConfig.fetchEndpoint = standIn.url;
      await sql.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
      // Twice at once: close() must be idempotent.
      await Promise.all([standIn.close(), standIn.close()]);
    });

    describe('statements', () => {
      it('reports DDL with a null rowCount', async () => {
        const result = await sql.query(`CREATE TABLE ${SCHEMA}.ddl_probe (x int)`, [], { fullResults: true });
        expect(result.command).toBe('CREATE');
        expect(result.rowCount).toBeNull();
        expect(result.rows).toEqual([]);
        record('ddl', result);
      });

      it('returns rows from INSERT … RETURNING', async () => {
        const rows = await sql`INSERT INTO ${items} (name, qty) VALUES (${'returning'}, ${2}) RETURNING id, name, qty`;
        expect(rows).toEqual([{ id: expect.any(Number), name: 'returning', qty: 2 }]);
        record('insert-returning', rows);
      });

      it('counts updated rows in fullResults', async () => {
        await sql`INSERT INTO ${items} (name, tag) VALUES ('u1', 'upd'), ('u2', 'upd'), ('u3', 'upd')`;
        const result = await sql.query(`UPDATE ${ITEMS} SET qty = qty + 1 WHERE tag = $1`, ['upd'], {
          fullResults: true,
        });
        expect(result.command).toBe('UPDATE');
        expect(result.rowCount).toBe(3);
        expect(result.rows).toEqual([]);
        record('update-rowcount', result);
      });

      it('answers an empty query with command ""', async () => {
        const result = await sql.query('', [], { fullResults: true });
        expect(result.command).toBe('');
        expect(result.rows).toEqual([]);
        record('empty-query', result);
      });

      it('does not leak a lone BEGIN into the next request', async () => {
        await sql`BEGIN ISOLATION LEVEL SERIALIZABLE`;
        // Sequential requests reuse the same connection, so a leaked BEGIN would show up here.
        const [row] = await sql`SELECT current_setting('transaction_isolation') AS iso`;
        expect(row).toEqual({ iso: 'read committed' });
      });
    });

    describe('types', () => {
      it('sends exact text output that the client parses per type', async () => {
        const [row] = await sql`SELECT
          1::int2 AS i2, 2::int4 AS i4, 9007199254740993::int8 AS i8, 12.50::numeric AS num,
          1.5::float8 AS f8, 'NaN'::float8 AS fnan, 2.5::float4 AS f4, true AS t, false AS f,
          '{"s":"y","a":[1,2]}'::json AS j, '{"s":"y","n":null}'::jsonb AS jb, '\\x6869'::bytea AS b,
          '2026-11-23 14:33:39.532499+00'::timestamptz AS tz, '2024-02-03'::date AS d,
          '1 day 02:00:00'::interval AS iv, '12:34:56'::time AS tm,
          ARRAY['p', 'q r', NULL, 'x"y', 'a,b', '{}', '', 'NULL']::text[] AS arr, ARRAY[1, NULL, 3]::int4[] AS ia,
          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, NULL::text AS n`;
        expect(row).toMatchObject({
          i2: 1,
          i4: 2,
          i8: '9007199254740993',
          num: '12.50',
          f8: 1.5,
          f4: 2.5,
          t: true,
          f: false,
          j: { s: 'y', a: [1, 2] },
          jb: { s: 'y', n: null },
          d: new Date(2024, 1, 3),
          iv: expect.objectContaining({ days: 1, hours: 2 }),
          tm: '12:34:56',
          arr: ['p', 'q r', null, 'x"y', 'a,b', '{}', '', 'NULL'],
          ia: [1, null, 3],
          u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          n: null,
        });
        expect(row?.fnan).toBeNaN();
        expect(row?.b).toEqual(Buffer.from('hi'));
        expect(row?.tz).toEqual(new Date('2026-11-23T14:33:39.532Z'));
        record('types', row);
      });

      it('round-trips bytea from Buffer and Uint8Array params', async () => {
        const [row] = await sql`SELECT ${Buffer.from('hi')} AS buf, ${new Uint8Array([0, 1, 255])} AS u8`;
        expect(Buffer.isBuffer(row?.buf)).toBe(true);
        expect(row?.buf).toEqual(Buffer.from('hi'));
        expect(row?.u8).toEqual(Buffer.from([0, 1, 255]));
        record('bytea-params', row);
      });

      it('round-trips Date, array, object and bigint params', async () => {
        const when = new Date('2024-01-02T03:04:05.678Z');
        const [row] = await sql`SELECT ${when}::timestamptz AS at, ${['a', null, 'b "c"']}::text[] AS arr,
          ${{ k: [1, 'x'] }}::jsonb AS obj, ${12345678901234567890n}::numeric AS big, ${null}::int AS nothing`;
        expect(row).toEqual({
          at: when,
          arr: ['a', null, 'b "c"'],
          obj: { k: [1, 'x'] },
          big: '12345678901234567890',
          nothing: null,
        });
        record('params', row);
      });
    });

    describe('result shapes', () => {
      it('returns arrays in arrayMode', async () => {
        const rows = await sql.query('SELECT 1 AS a, $1::text AS b', ['x'], { arrayMode: true });
        expect(rows).toEqual([[1, 'x']]);
        const sqlArrays = neon(CONNECTION, { arrayMode: true });
        expect(await sqlArrays`SELECT 2 AS a`).toEqual([[2]]);
        record('array-mode', rows);
      });

      it('returns the full result with fields in fullResults', async () => {
        await sql`INSERT INTO ${items} (name, qty) VALUES ('full', 7)`;
        const result = await sql.query(`SELECT id, name, qty FROM ${ITEMS} WHERE name = $1`, ['full'], {
          fullResults: true,
        });
        expect(result).toMatchObject({ command: 'SELECT', rowCount: 1, rows: [{ name: 'full', qty: 7 }] });
        expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
          ['id', 23],
          ['name', 25],
          ['qty', 23],
        ]);
        expect(result.fields[0]).toMatchObject({ tableID: expect.any(Number), columnID: 1, dataTypeSize: 4 });
        expect(result.fields[0]?.tableID).toBeGreaterThan(0);
        record('full-results', result);
      });

      it('keeps the last duplicate column in object mode and all of them in arrayMode', async () => {
        expect(await sql`SELECT 1 AS a, 'two' AS a`).toEqual([{ a: 'two' }]);
        const rows = await sql.query(`SELECT 1 AS a, 'two' AS a`, [], { arrayMode: true });
        expect(rows).toEqual([[1, 'two']]);
        record('duplicate-names', rows);
      });

      it('inlines fragments and renumbers their params', async () => {
        await sql`INSERT INTO ${items} (name, qty) VALUES ('frag-a', 1), ('frag-b', 2), ('frag-c', 3)`;
        const filter = sql`WHERE name LIKE ${'frag-%'} AND qty >= ${2}`;
        const rows = await sql`SELECT name FROM ${items} ${filter} AND qty < ${3} ORDER BY name`;
        expect(rows).toEqual([{ name: 'frag-b' }]);
        record('fragments', rows);
      });

      it('embeds raw SQL with sql.unsafe()', async () => {
        const rows = await sql`SELECT ${'hello'} AS ${sql.unsafe('"Greeting"')}`;
        expect(rows).toEqual([{ Greeting: 'hello' }]);
        record('unsafe', rows);
      });
    });

    describe('transactions', () => {
      it('commits all queries and returns one result per query', async () => {
        const results = await sql.transaction([
          sql`INSERT INTO ${items} (name, qty) VALUES ('txn-a', 1)`,
          sql`INSERT INTO ${items} (name, qty) VALUES ('txn-b', 2) RETURNING name`,
          sql`SELECT sum(qty)::int AS total FROM ${items} WHERE name LIKE 'txn-%'`,
        ]);
        expect(results).toEqual([[], [{ name: 'txn-b' }], [{ total: 3 }]]);
        record('transaction', results);
      });

      it('turns isolationLevel, readOnly and deferrable into BEGIN options', async () => {
        const settings = sql`SELECT current_setting('transaction_isolation') AS iso,
          current_setting('transaction_read_only') AS ro, current_setting('transaction_deferrable') AS def`;
        const [[strict]] = await sql.transaction([settings], {
          isolationLevel: 'Serializable',
          readOnly: true,
          deferrable: true,
        });
        expect(strict).toEqual({ iso: 'serializable', ro: 'on', def: 'on' });
        const [[loose]] = await sql.transaction(
          (txn) => [
            txn`SELECT current_setting('transaction_isolation') AS iso,
          current_setting('transaction_read_only') AS ro`,
          ],
          { isolationLevel: 'RepeatableRead', readOnly: false },
        );
        expect(loose).toEqual({ iso: 'repeatable read', ro: 'off' });
        const [[committed]] = await sql.transaction([settings], { isolationLevel: 'ReadCommitted' });
        expect(committed).toMatchObject({ iso: 'read committed', ro: 'off' });
        const [[uncommitted]] = await sql.transaction([settings], { isolationLevel: 'ReadUncommitted' });
        expect(uncommitted).toMatchObject({ iso: 'read uncommitted' });
        record('transaction-options', [strict, loose, committed, uncommitted]);
      });

      it('applies fullResults and arrayMode to every transaction result', async () => {
        const results = await sql.transaction([sql`SELECT 1 AS one`, sql`SELECT 'b' AS b`], {
          fullResults: true,
          arrayMode: true,
        });
        expect(results.map((r) => r.rows)).toEqual([[[1]], [['b']]]);
        record('transaction-full', results);
      });
    });

    describe('errors', () => {
      it('reports a unique violation as 23505 with constraint and detail', async () => {
        await sql`INSERT INTO ${items} (name) VALUES ('dupe')`;
        const err = await failure(sql`INSERT INTO ${items} (name) VALUES ('dupe')`);
        expect(err).toMatchObject({
          code: '23505',
          severity: 'ERROR',
          constraint: 'items_name_key',
          table: 'items',
          schema: SCHEMA,
          detail: 'Key (name)=(dupe) already exists.',
        });
        record('error-23505', err);
      });

      it('reports an unknown column as 42703 with its position', async () => {
        const err = await failure(sql`SELECT nope FROM ${items}`);
        expect(err).toMatchObject({ code: '42703', position: '8' });
        record('error-42703', err);
      });

      it('rejects two statements in one query with 42601', async () => {
        const err = await failure(sql.query('SELECT 1; SELECT 2'));
        expect(err).toMatchObject({
          code: '42601',
          message: 'cannot insert multiple commands into a prepared statement',
        });
        record('error-42601', err);
      });

      it('rolls back the whole transaction on the first error', async () => {
        const err = await failure(
          sql.transaction([
            sql`INSERT INTO ${items} (name) VALUES ('rolled-back')`,
            sql`SELECT 1 / 0`,
            sql`INSERT INTO ${items} (name) VALUES ('never')`,
          ]),
        );
        expect(err).toMatchObject({ code: '22012', message: 'division by zero' });
        const rows = await sql`SELECT count(*)::int AS n FROM ${items} WHERE name IN ('rolled-back', 'never')`;
        expect(rows).toEqual([{ n: 0 }]);
        record('error-22012', err);
      });

      it('refuses writes in a read-only transaction with 25006', async () => {
        const err = await failure(
          sql.transaction([sql`INSERT INTO ${items} (name) VALUES ('ro')`], { readOnly: true }),
        );
        expect(err).toMatchObject({ code: '25006' });
        record('error-25006', err);
      });

      it('answers a bad isolation level with 400 "invalid isolation level"', async () => {
        const bogus = { isolationLevel: 'Chaotic' } as unknown as { isolationLevel: 'Serializable' };
        const err = await failure(sql.transaction([sql`SELECT 1`], bogus));
        expect(err.message).toBe('invalid isolation level');
        record('error-isolation', err);
      });
    });

    describe('HTTP surface', () => {
      it('answers the exact Neon JSON for any content type and a query string', async () => {
        const res = await fetch(`${standIn.url}?ignored=1`, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain;charset=UTF-8',
            'Neon-Connection-String': CONNECTION,
            'Neon-Raw-Text-Output': 'true',
            'Neon-Array-Mode': 'true',
          },
          body: JSON.stringify({ query: `SELECT 1::int4 AS id, $1::text AS s, NULL::text AS n`, params: ['a"q'] }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('content-type')).toBe('application/json');
        const text = await res.text();
        expect(text).toBe(
          '{"command":"SELECT","rowCount":1,"rows":[["1","a\\"q",null]],"rowAsArray":true,"fields":[' +
            '{"name":"id","dataTypeID":23,"tableID":0,"columnID":0,"dataTypeSize":4,"dataTypeModifier":-1,"format":"text"},' +
            '{"name":"s","dataTypeID":25,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"},' +
            '{"name":"n","dataTypeID":25,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}]}',
        );
      });

      it('answers a malformed body with a 400 JSON error and keeps serving', async () => {
        const res = await fetch(standIn.url, { method: 'POST', body: '{not json' });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ code: '', message: expect.stringContaining('JSON') });
        expect(logged.at(-1)).toContain('not valid JSON');
        const wrongShape = await fetch(standIn.url, { method: 'POST', body: '{"sql":"SELECT 1"}' });
        expect(wrongShape.status).toBe(400);
        expect(await sql`SELECT 1 AS alive`).toEqual([{ alive: 1 }]);
      });

      it('serves parallel queries and transactions', async () => {
        const work = Array.from({ length: 24 }, (_, i) =>
          i % 3 === 0
            ? sql.transaction([sql`SELECT ${i}::int AS i`, sql`SELECT pg_sleep(0.01)`]).then((r) => r[0]?.[0])
            : sql`SELECT ${i}::int AS i`.then((r) => r[0]),
        );
        const rows = await Promise.all(work);
        expect(rows).toEqual(Array.from({ length: 24 }, (_, i) => ({ i })));
      });

      it('counts /sql requests, resets the count and exposes both over HTTP', async () => {
        const base = standIn.url.replace(/\/sql$/, '');
        standIn.resetStats();
        await sql`SELECT 1`;
        await sql.transaction([sql`SELECT 1`, sql`SELECT 2`]);
        await fetch(standIn.url, { method: 'POST', body: 'nonsense' });
        expect(standIn.requestCount()).toBe(3);
        const stats = await (await fetch(`${base}/__standin/stats`)).json();
        expect(stats).toEqual({ backend: backend.name, requests: 3 });
        const reset = await fetch(`${base}/__standin/reset`, { method: 'POST' });
        expect(reset.status).toBe(200);
        expect(standIn.requestCount()).toBe(0);
        expect(standIn.backend).toBe(backend.name);
      });

      it('delays every /sql answer by the configured time', async () => {
        standIn.setDelay(150);
        try {
          const started = performance.now();
          await sql`SELECT 1`;
          expect(performance.now() - started).toBeGreaterThanOrEqual(145);
        } finally {
          standIn.setDelay(0);
        }
      });
    });
  });
}

describe('startNeonHttp with a dataDir', () => {
  const root = join(tmpdir(), `lembas-neon-${process.pid}-${Date.now().toString(36)}`);

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('creates missing parents and keeps data across restarts', async () => {
    const dataDir = join(root, 'nested', 'pgdata');
    const sql = neon(CONNECTION);
    const first = await startNeonHttp({ dataDir });
    try {
      neonConfig.fetchEndpoint = first.url;
      await sql`CREATE TABLE kept (v text)`;
      await sql`INSERT INTO kept VALUES ('still here')`;
    } finally {
      await first.close();
    }
    const second = await startNeonHttp({ dataDir });
    try {
      neonConfig.fetchEndpoint = second.url;
      expect(await sql`SELECT v FROM kept`).toEqual([{ v: 'still here' }]);
    } finally {
      await second.close();
    }
  });
});

describe.skipIf(BACKENDS.length < 2)('PGlite against real Postgres', () => {
  it('gives the client identical output on both backends, except error file and line', () => {
    const [pglite, postgres] = BACKENDS.map((b) => outputs.get(b.name));
    expect(Object.keys(pglite ?? {}).length).toBeGreaterThan(15);
    expect(pglite).toEqual(postgres);
  });
});

async function failure(promise: Promise<unknown>): Promise<NeonDbError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(NeonDbError);
    return err as NeonDbError;
  }
  throw new Error('expected the query to fail');
}

/** A comparable, JSON-like picture of client output: constructors kept, functions and backend-specific ids dropped. */
function snapshot(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value;
  if (typeof value === 'bigint') return `${value}n`;
  if (Buffer.isBuffer(value)) return { Buffer: value.toString('hex') };
  if (value instanceof Date) return { Date: value.toISOString() };
  if (value instanceof NeonDbError) return snapshotError(value);
  if (Array.isArray(value)) return value.map(snapshot);
  if (typeof value === 'object') return snapshotObject(value as Record<string, unknown>);
  return value;
}

function snapshotObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { constructor: value.constructor?.name ?? null };
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'function' || key.startsWith('_')) continue;
    // Table OIDs depend on the catalog's history, so only "is a table column" is comparable.
    out[key] = key === 'tableID' ? Number(inner) > 0 : snapshot(inner);
  }
  return out;
}

function snapshotError(err: NeonDbError): Record<string, unknown> {
  const { file: _file, line: _line, sourceError: _source, ...fields } = err;
  return { constructor: err.constructor.name, ...fields, message: err.message };
}

// Owns the database behind the Neon stand-in: a pg.Pool on real Postgres, or one pg.Client bridged onto PGlite.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { isPostgresError } from './protocol';

export type BackendName = 'pglite' | 'postgres';

export interface Backend {
  readonly name: BackendName;
  /** Lends a connection exclusively to `work`; the connection is left outside any transaction afterwards. */
  withClient<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Neon sends Postgres' text output untouched and the client parses it, so pg must not parse anything.
const RAW_TEXT_TYPES = { getTypeParser: () => (value: string) => value };

// The client's parsers assume these (protocols.md A5); one statement so it costs one round trip.
const SESSION_SQL =
  "SELECT set_config('DateStyle', 'ISO, MDY', false), set_config('IntervalStyle', 'postgres', false), " +
  "set_config('TimeZone', 'UTC', false), set_config('bytea_output', 'hex', false)";

type Log = (line: string) => void;

export async function createPostgresBackend(databaseUrl: string, log: Log): Promise<Backend> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    types: RAW_TEXT_TYPES,
    // verify runs before a new connection is first lent out, so no request sees default settings.
    verify: (client, done) => {
      client.query(SESSION_SQL).then(() => done(), done);
    },
  });
  // An idle connection dying (server restart) must not crash the stand-in.
  pool.on('error', (err) => log(`neon-http: idle postgres connection failed: ${err.message}`));
  // Fail at startup, not on the first request, when the database is unreachable.
  await pool.query('SELECT 1').catch(async (err: unknown) => {
    await pool.end();
    throw err;
  });
  return {
    name: 'postgres',
    async withClient(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await work(client);
      } catch (err) {
        if (!isRecoverable(err)) broken = err as Error;
        throw err;
      } finally {
        broken ??= await endTransaction(client);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

export async function createPgliteBackend(dataDir: string | undefined, log: Log): Promise<Backend> {
  if (dataDir !== undefined) await mkdir(dirname(dataDir), { recursive: true });
  const db = new PGlite(dataDir);
  const lock = new Mutex();
  // Connect eagerly: opening PGlite takes seconds, which belongs to startup, not to the first request.
  let client: pg.Client | undefined = await connectPglite(db, log);
  return {
    name: 'pglite',
    withClient: (work) =>
      lock.run(async () => {
        const current = (client ??= await connectPglite(db, log));
        let broken: Error | undefined;
        try {
          return await work(current);
        } catch (err) {
          if (!isRecoverable(err)) broken = err as Error;
          throw err;
        } finally {
          broken ??= await endTransaction(current);
          // A bridge failure leaves pg's state unknown; reconnect next time rather than reuse it.
          if (broken !== undefined) {
            client = undefined;
            current.end().catch(() => undefined);
          }
        }
      }),
    close: () =>
      lock.run(async () => {
        await client?.end().catch(() => undefined);
        client = undefined;
        await db.close();
      }),
  };
}

async function connectPglite(db: PGlite, log: Log): Promise<pg.Client> {
  // pg's ClientConfig type lacks `connection`, which is how the bridge replaces the socket.
  const config: pg.ClientConfig & { connection: unknown } = { ...createPgConfig(db), types: RAW_TEXT_TYPES };
  const client = new pg.Client(config);
  client.on('error', (err) => log(`neon-http: pglite connection failed: ${err.message}`));
  await client.connect();
  await client.query(SESSION_SQL);
  return client;
}

/**
 * Neon keeps no state between single queries, so a `BEGIN` sent alone must not leak into the next request.
 * Returns the error when the connection could not be reset and must be discarded.
 */
async function endTransaction(client: pg.ClientBase): Promise<Error | undefined> {
  const status = client.getTransactionStatus();
  if (status === 'I' || status === null) return undefined;
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

/** SQL errors leave the connection usable; anything else (socket, protocol) may not. */
const isRecoverable = isPostgresError;

/** PGlite is a single connection: requests must take turns, transactions included. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

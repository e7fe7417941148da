// Starts both stand-ins over the embedded engines (or real servers from DATABASE_URL/REDIS_URL) and migrates.
import { neon, neonConfig } from '@neondatabase/serverless';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Sql } from '../lib/clients';
import { migrate } from '../lib/db/migrate';
import { loadMigrations } from './migrations';
import { startMailbox, type Mailbox } from './standins/mailbox';
import { startNeonHttp, type StandIn } from './standins/neon-http';
import { startUpstashRest } from './standins/upstash-rest';

export interface StackOptions {
  neonPort?: number;
  upstashPort?: number;
  /** Real PostgreSQL; PGlite when absent. */
  databaseUrl?: string;
  /** Real Redis; the in-process engine when absent. */
  redisUrl?: string;
  /** Where PGlite keeps its files; in memory when absent. */
  pgliteDir?: string;
  upstashToken: string;
  /** Starts the local mailbox on this port (0: a free one) and points the Worker's mail at it; none when absent. */
  mailPort?: number;
  log?: (line: string) => void;
}

export interface Stack {
  neon: StandIn;
  upstash: StandIn;
  /** The local mailbox, when mailPort was given. */
  mailbox?: Mailbox;
  /** A Neon client in this Node process, talking to the stand-in exactly as the Worker does. */
  sql: Sql;
  /** What the Worker needs to reach the stand-ins. */
  workerVars: Record<string, string>;
  migrated: string[];
  close(): Promise<void>;
}

/** The Worker's DATABASE_URL locally: the stand-in ignores it, but the Neon client insists on a well-formed one. */
export const LOCAL_DATABASE_URL = 'postgres://lembas:local@localhost.neon/lembas';

export async function startStack(options: StackOptions): Promise<Stack> {
  if (options.pgliteDir) await mkdir(dirname(options.pgliteDir), { recursive: true });
  const neonStandIn = await startNeonHttp({
    port: options.neonPort,
    databaseUrl: options.databaseUrl,
    dataDir: options.databaseUrl ? undefined : options.pgliteDir,
    log: options.log,
  });
  let upstashStandIn: StandIn;
  try {
    upstashStandIn = await startUpstashRest({
      port: options.upstashPort,
      token: options.upstashToken,
      redisUrl: options.redisUrl,
      log: options.log,
    });
  } catch (error) {
    await neonStandIn.close();
    throw error;
  }
  let mailbox: Mailbox | undefined;
  const close = async () => {
    await Promise.allSettled([neonStandIn.close(), upstashStandIn.close(), mailbox?.close()]);
  };
  try {
    if (options.mailPort !== undefined) mailbox = await startMailbox({ port: options.mailPort, log: options.log });
    neonConfig.fetchEndpoint = neonStandIn.url;
    const sql = neon(LOCAL_DATABASE_URL);
    const migrated = await migrate(sql, await loadMigrations());
    return {
      neon: neonStandIn,
      upstash: upstashStandIn,
      mailbox,
      sql,
      migrated,
      workerVars: {
        DATABASE_URL: LOCAL_DATABASE_URL,
        NEON_FETCH_ENDPOINT: neonStandIn.url,
        UPSTASH_REDIS_REST_URL: upstashStandIn.url,
        UPSTASH_REDIS_REST_TOKEN: options.upstashToken,
        ...(mailbox ? { MAIL_CAPTURE_URL: mailbox.url } : {}),
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

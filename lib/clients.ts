// Neon and Upstash clients, built once per isolate from the bindings. Neither holds a connection or any I/O object
// between calls (each call is one fetch), so sharing them across requests is safe; building them on every request
// was measurable CPU on a cache hit.
import { Redis } from '@upstash/redis/cloudflare';
import type { Config } from './env';
import { lazyNeon, type Sql } from './lazy-neon';

export type { Sql };

/** A Neon client whose driver loads on its first query (lib/lazy-neon.ts): a cache hit never pays for it. */
export function createSql(config: Config, connectionString = config.DATABASE_URL): Sql {
  const endpoint = config.NEON_FETCH_ENDPOINT;
  // fetchEndpoint is global-only in the Neon client, so set before each query: a second config in the same isolate
  // (tests) must not leave the first one's queries pointed at its endpoint.
  return lazyNeon(connectionString, endpoint ? ({ neonConfig }) => (neonConfig.fetchEndpoint = endpoint) : undefined);
}

export function createRedis(config: Config, { deserialize = true }: { deserialize?: boolean } = {}): Redis {
  return new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    // Measured (design.md): auto-pipelining and base64 responses cost ~35% more CPU on a cache hit. We store
    // only text, so plain UTF-8 responses are safe, and each request issues at most a few commands.
    enableAutoPipelining: false,
    responseEncoding: false,
    // The cache decodes its own entries; trying JSON.parse on a 30 KB page first would be wasted work.
    automaticDeserialization: deserialize,
    // An unreachable cache must not stall a page for the client's default ~7 s of retries: fall through to Neon.
    retry: { retries: 1, backoff: () => 25 },
    // Three telemetry headers on every command: bytes and CPU on each cache hit, for no reader's benefit.
    enableTelemetry: false,
  });
}

export interface Clients {
  sql: Sql;
  sqlRead: Sql;
  redis: Redis;
  /** For lib/cache.ts: answers come back as the stored text. */
  cacheRedis: Redis;
}

const built = new WeakMap<Config, Clients>();

/** The clients for this configuration, built on first use; loadConfig hands every request the same Config. */
export function clientsFor(config: Config): Clients {
  let clients = built.get(config);
  if (!clients) {
    const sql = createSql(config);
    clients = {
      sql,
      sqlRead: config.DATABASE_URL_READ ? createSql(config, config.DATABASE_URL_READ) : sql,
      redis: createRedis(config),
      cacheRedis: createRedis(config, { deserialize: false }),
    };
    built.set(config, clients);
  }
  return clients;
}

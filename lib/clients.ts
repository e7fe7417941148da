// Neon and Upstash clients, built per request from the bindings: Workers keep no pools between invocations.
import { neon, neonConfig, type NeonQueryFunction } from '@neondatabase/serverless';
import { Redis } from '@upstash/redis/cloudflare';
import type { Config } from './env';

export type Sql = NeonQueryFunction<false, false>;

export function createSql(config: Config, connectionString = config.DATABASE_URL): Sql {
  // fetchEndpoint is global-only in the Neon client; it is the same for every request of a deployment.
  if (config.NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = config.NEON_FETCH_ENDPOINT;
  return neon(connectionString);
}

export function createRedis(config: Config): Redis {
  return new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    // Measured (design.md): auto-pipelining and base64 responses cost ~35% more CPU on a cache hit. We store
    // only JSON text, so plain UTF-8 responses are safe, and each request issues at most a few commands.
    enableAutoPipelining: false,
    responseEncoding: false,
    // An unreachable cache must not stall a page for the client's default ~7 s of retries: fall through to Neon.
    retry: { retries: 1, backoff: () => 25 },
  });
}

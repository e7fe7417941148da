// Bindings and secrets, validated once per isolate so a missing secret is one clear error, not a late crash.
import { z } from 'zod';
import type { Deps } from './context';
import type { WebSession } from './auth/web-session';
import type { AuthUser } from './schemas/user';

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/[^/]+\/[^/?]+/, 'must be a postgres:// URL with a host and a database');

export const EnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  /** Optional read replica; reads that tolerate replication lag go here. */
  DATABASE_URL_READ: postgresUrl.optional(),
  /** Only set locally: points the Neon client at the dev stand-in instead of Neon's proxy. */
  NEON_FETCH_ENDPOINT: z.url().optional(),
  UPSTASH_REDIS_REST_URL: z.url(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Optional server-side pepper mixed into every password hash (HMAC key). */
  PASSWORD_PEPPER: z.string().min(16).optional(),
  /**
   * Only set locally: where the Worker purges the Workers Cache stand-in (dev/standins/workers-cache.ts), since
   * ctx.cache exists only deployed.
   */
  CACHE_PURGE_URL: z.url().optional(),
  /** Prefix for every cache key, so deployments (or test runs) can share one Redis. */
  CACHE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/i)
    .default('lembas'),
  SITE_NAME: z.string().min(1).default('lembas'),
  /** The public origin, for canonical links, the feed and the sitemap. Required: a default would point at localhost. */
  SITE_URL: z.url(),
  SITE_DESCRIPTION: z.string().default('Notes from the edge.'),
  /** "true" marks cookies Secure; off only for plain-http local development. */
  SECURE_COOKIES: z.enum(['true', 'false']).default('true'),
  /** The R2 bucket images are uploaded to (`[[r2_buckets]]` in wrangler.toml); media routes answer 503 without it. */
  MEDIA: z.custom<R2Bucket>(isBucket, 'must be an R2 bucket binding').optional(),
  /** Cloudflare Email Service (`[[send_email]]` in wrangler.toml); mail is refused with a clear error without it. */
  EMAIL: z.custom<SendEmail>(isMailBinding, 'must be a send_email binding').optional(),
  /** The sender address, on a domain onboarded to Email Service; `noreply@` the SITE_URL's host when absent. */
  MAIL_FROM: z.email().optional(),
  /** The sender's display name; SITE_NAME when absent. */
  MAIL_FROM_NAME: z.string().min(1).max(80).optional(),
  /** Only set locally: mail goes to the dev mailbox (dev/standins/mailbox.ts) at this URL instead of EMAIL. */
  MAIL_CAPTURE_URL: z.url().optional(),
  /** The jobs queue (`[[queues.producers]]` in wrangler.toml): webhook deliveries and IndexNow pings go through it. */
  JOBS: z.custom<Queue<unknown>>(isQueue, 'must be a queue producer binding').optional(),
  /**
   * "true" only in `npm run dev` and the tests: webhooks may then point at loopback and private addresses (a local
   * receiver). Everywhere else such an endpoint is refused when registered and when delivered to.
   */
  ALLOW_LOCAL_WEBHOOKS: z.enum(['true', 'false']).default('false'),
  /** DNS-over-HTTPS (JSON) resolver that webhook hosts are checked with before a request goes to them. */
  WEBHOOK_DOH_URL: z.url().default('https://cloudflare-dns.com/dns-query'),
  /** Key for webhook signing secrets at rest (lib/webhooks/secrets.ts); derived from JWT_SECRET when absent. */
  WEBHOOK_ENCRYPTION_KEY: z.string().min(32).optional(),
  /** Turns IndexNow on (lib/indexnow.ts): the key, also served at /{key}.txt. */
  INDEXNOW_KEY: z
    .string()
    .regex(/^[a-zA-Z0-9-]{8,128}$/, 'must be 8 to 128 letters, digits or hyphens')
    .optional(),
  /** Where IndexNow pings go; any participating search engine shares them with the others. */
  INDEXNOW_ENDPOINT: z.url().default('https://api.indexnow.org/indexnow'),
});

function isQueue(value: unknown): value is Queue<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { sendBatch?: unknown }).sendBatch === 'function'
  );
}

function isMailBinding(value: unknown): value is SendEmail {
  return typeof value === 'object' && value !== null && typeof (value as { send?: unknown }).send === 'function';
}

function isBucket(value: unknown): value is R2Bucket {
  return typeof value === 'object' && value !== null && 'put' in value && 'get' in value && 'head' in value;
}

export type Config = z.infer<typeof EnvSchema>;

type TextBinding = Exclude<keyof z.input<typeof EnvSchema>, 'MEDIA' | 'EMAIL' | 'JOBS'>;
export type Bindings = Record<TextBinding, string | undefined> & {
  MEDIA?: R2Bucket;
  EMAIL?: SendEmail;
  JOBS?: Queue<unknown>;
};

export interface Variables {
  /** Made on first use: functions/middleware.ts `requestIdOf`. */
  requestId?: string;
  deps: Deps;
  user: AuthUser | null;
  /** Page routes: the browser session behind the cookie, looked up in parallel with the page (see functions/auth/session.ts). */
  pendingSession: Promise<WebSession | null>;
  /** Set when the response is a cached page, already filled for visitors (functions/cached-response.ts). */
  sharedPage?: boolean;
  /** The request carries a session cookie: its page is personal, so the shared copy's validator never applies. */
  personalPage?: boolean;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const parsed = new WeakMap<object, Config>();

/** Parses the bindings once per isolate; Workers hand the same env object to every request. */
export function loadConfig(env: object): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid Worker configuration (set these vars/secrets): ${problems}`);
  }
  parsed.set(env, result.data);
  return result.data;
}

// The Worker's Deps for a command-line tool, reaching the database the way `npm run db:migrate` does:
// - DATABASE_URL on Neon (*.neon.tech): straight to Neon's HTTP endpoint, as the Worker talks to it;
// - any other DATABASE_URL, or none: through the local Neon stand-in, to that PostgreSQL or to PGlite in .data/.
// Cache invalidation goes to UPSTASH_REDIS_REST_URL/TOKEN when set, to REDIS_URL through the local stand-in, or
// else to an in-process engine (nothing cached to drop: cached pages then expire on their own within minutes).
import { createDeps, type Deps } from '../lib/context';
import { EnvSchema } from '../lib/env';
import { useLocalTextTools } from '../lib/text';
import { localTextTools } from '../lib/text/local';
import { isNeonUrl } from './neon-url';
import { startStack } from './stack';
import { startUpstashRest } from './standins/upstash-rest';

export interface CliDeps {
  deps: Deps;
  /** Where the tool is writing, for its first line of output. */
  target: string;
  /** Waits for background work (cache invalidation) and stops any stand-ins. */
  close(): Promise<void>;
}

const LOCAL_TOKEN = 'lembas-cli';
const EMBEDDED_DIR = new URL('../.data/pglite', import.meta.url).pathname;

/** `pgliteDir: null` keeps the embedded database in memory (tests). */
export async function openCliDeps(
  env: NodeJS.ProcessEnv = process.env,
  { pgliteDir = EMBEDDED_DIR }: { pgliteDir?: string | null } = {},
): Promise<CliDeps> {
  // Node has no service binding to the text Worker: markdown, front matter and HTML conversion run here.
  useLocalTextTools(localTextTools);
  const url = env.DATABASE_URL;
  const pending: Promise<unknown>[] = [];
  const build = (vars: Record<string, string | undefined>) =>
    createDeps(
      EnvSchema.parse({
        ...vars,
        CACHE_NAMESPACE: env.CACHE_NAMESPACE,
        // Parsed because the schema requires them; a command-line tool signs no tokens and links to no page.
        JWT_SECRET: env.JWT_SECRET ?? 'command-line-tools-sign-no-tokens-at-all',
        SITE_URL: env.SITE_URL ?? 'http://localhost',
      }),
      {
        waitUntil: (promise) => pending.push(promise),
        log: (message, error) => console.warn(`[lembas] ${message}`, error instanceof Error ? error.message : error),
      },
    );
  const settle = () => Promise.allSettled(pending);

  if (isNeonUrl(url)) {
    const upstash =
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? null
        : await startUpstashRest({ token: LOCAL_TOKEN, redisUrl: env.REDIS_URL });
    const deps = build({
      DATABASE_URL: url,
      UPSTASH_REDIS_REST_URL: upstash?.url ?? env.UPSTASH_REDIS_REST_URL,
      UPSTASH_REDIS_REST_TOKEN: upstash ? LOCAL_TOKEN : env.UPSTASH_REDIS_REST_TOKEN,
    });
    return {
      deps,
      target: `Neon (${new URL(url).hostname})`,
      close: async () => {
        await settle();
        await upstash?.close();
      },
    };
  }
  const stack = await startStack({
    databaseUrl: url,
    redisUrl: env.REDIS_URL,
    pgliteDir: url ? undefined : (pgliteDir ?? undefined),
    upstashToken: LOCAL_TOKEN,
  });
  return {
    deps: build(stack.workerVars),
    target: url ? `PostgreSQL (${new URL(url).host})` : pgliteDir ? `the embedded database in ${pgliteDir}` : 'memory',
    close: async () => {
      await settle();
      await stack.close();
    },
  };
}

// Calls the Worker as a site of its own (test/fresh-sites.ts): same code, another database and cache.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../functions/index';
import { createDeps, type Deps } from '../lib/context';
import { loadConfig, type Bindings } from '../lib/env';
import type { FreshSiteName } from './fresh-sites';

export interface FreshSite {
  env: Bindings;
  call(path: string, init?: RequestInit): Promise<Response>;
  deps(): Deps;
  /** No users, no posts, no settings, an empty cache namespace: the site as a first deploy finds it. */
  reset(): Promise<void>;
}

export function freshSite(name: FreshSiteName): FreshSite {
  const endpoints = (
    JSON.parse(String((env as unknown as { TEST_SITES: string }).TEST_SITES)) as Record<string, Partial<Bindings>>
  )[name];
  let generation = 0;
  // One env object per reset: loadConfig and the clients are cached per env, and a new namespace empties the cache.
  const siteEnv = (): Bindings => ({ ...env, ...endpoints, CACHE_NAMESPACE: `${name}${Date.now()}g${generation}` });
  let current = siteEnv();
  const deps = () => createDeps(loadConfig(current), { waitUntil: () => {} });
  return {
    get env() {
      return current;
    },
    async call(path, init) {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(new URL(path, 'https://blog.example'), init), current, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
    deps,
    async reset() {
      const { sql } = deps();
      await sql.transaction([
        sql`TRUNCATE users, posts, tags RESTART IDENTITY CASCADE`,
        sql`DELETE FROM site_settings`,
      ]);
      generation += 1;
      current = siteEnv();
    },
  };
}

// The text Worker (functions/text/) built as `npm run deploy` builds it, for the places that run it beside the blog
// Worker without wrangler dev: the tests (an auxiliary Worker of vitest-pool-workers) and the bench (Miniflare).
import { buildScript, workerModules } from './wrangler';

export const TEXT_WORKER = {
  name: 'lembas-text',
  config: new URL('../functions/text/wrangler.toml', import.meta.url).pathname,
  compatibilityDate: '2026-04-20',
} as const;

/** Bundles the text Worker into `outDir` (minified when asked) and returns its script's path. */
export function buildTextWorker(outDir: string, { minify = false }: { minify?: boolean } = {}): string {
  return buildScript({ config: TEXT_WORKER.config, outDir, minify });
}

/** wrangler.toml's TEXT binding, for a Miniflare instance that runs the blog Worker without wrangler. */
export const TEXT_SERVICE_BINDING = { TEXT: { name: TEXT_WORKER.name, entrypoint: 'TextService' } };

/** The text Worker as one of a Miniflare instance's `workers`, from the script buildTextWorker made. */
export function textWorkerOptions(scriptPath: string) {
  return {
    name: TEXT_WORKER.name,
    ...workerModules(scriptPath),
    compatibilityDate: TEXT_WORKER.compatibilityDate,
  };
}

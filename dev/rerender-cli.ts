// `npm run db:rerender`: re-renders every post's HTML, excerpt and reading time from its markdown (after the renderer
// changes, e.g. code highlighting). Reaches the database like db:migrate: Neon over HTTP for *.neon.tech URLs, otherwise
// the stand-in.
import { neon } from '@neondatabase/serverless';
import { rerenderPosts } from '../lib/rerender';
import { isNeonUrl } from './neon-url';
import { startStack } from './stack';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const stack = isNeonUrl(url)
    ? null
    : await startStack({
        databaseUrl: url,
        pgliteDir: new URL('../.data/pglite', import.meta.url).pathname,
        upstashToken: 'rerender-only',
      });
  try {
    const report = await rerenderPosts(stack ? stack.sql : neon(url!));
    console.log(`checked ${report.checked} posts, re-rendered ${report.changed}`);
    for (const { id, reason } of report.failed) console.warn(`post ${id} kept its old HTML: ${reason}`);
    console.log('cached pages pick the new HTML up within their five-minute fresh window');
  } finally {
    await stack?.close();
  }
}

main().catch((error) => {
  console.error('[lembas] re-render failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});

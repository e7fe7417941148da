// `npm run db:rerender`: re-renders every post's HTML, excerpt and reading time, every comment's HTML and the settings
// footer's, from their markdown (after the renderer changes, e.g. code highlighting or balanced output). Reaches the
// database like db:migrate: Neon over HTTP for *.neon.tech URLs, otherwise the stand-in.
import { neon } from '@neondatabase/serverless';
import { rerenderComments, rerenderPosts, rerenderSettingsFooter } from '../lib/rerender';
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
    const sql = stack ? stack.sql : neon(url!);
    const posts = await rerenderPosts(sql);
    console.log(`checked ${posts.checked} posts, re-rendered ${posts.changed}`);
    for (const { id, reason } of posts.failed) console.warn(`post ${id} kept its old HTML: ${reason}`);
    const comments = await rerenderComments(sql);
    console.log(`checked ${comments.checked} comments, re-rendered ${comments.changed}`);
    for (const { id, reason } of comments.failed) console.warn(`comment ${id} kept its old HTML: ${reason}`);
    const footer = await rerenderSettingsFooter(sql);
    if (footer.checked > 0)
      console.log(`checked the settings footer, ${footer.changed ? 're-rendered it' : 'current'}`);
    for (const { reason } of footer.failed) console.warn(`the settings footer kept its old HTML: ${reason}`);
    console.log('cached pages pick the new HTML up within their five-minute fresh window');
  } finally {
    await stack?.close();
  }
}

main().catch((error) => {
  console.error('[lembas] re-render failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});

// `npm run db:rerender`'s work: stored HTML brought up to the current renderer, nothing else touched.
import { describe, expect, it } from 'vitest';
import { getPostById, insertPost } from '../lib/db/posts';
import { renderMarkdown } from '../lib/markdown';
import { rerenderPosts } from '../lib/rerender';
import { createUser, testDeps, unique } from './helpers';

describe('rerenderPosts', () => {
  it('re-renders stale HTML (code gets highlighted) and keeps version and updated_at', async () => {
    const { sql } = testDeps();
    const author = await createUser({ role: 'author' });
    const { id } = await insertPost(sql, {
      slug: unique('old-render'),
      title: 'Rendered before highlighting',
      markdown: '```js\nconst a = 1;\n```',
      html: '<pre><code class="language-js">const a = 1;\n</code></pre>',
      toc: [],
      excerpt: '',
      readingMinutes: 1,
      status: 'published',
      publishedAt: new Date().toISOString(),
      authorId: author.id,
      tags: [],
    });
    const before = (await getPostById(sql, id))!;
    const report = await rerenderPosts(sql);
    expect(report.changed).toBeGreaterThanOrEqual(1);
    const after = (await getPostById(sql, id))!;
    expect(after.html).toContain('<code class="hljs language-js"><span class="hljs-keyword">const</span>');
    expect(after.version).toBe(before.version);
    expect(after.updatedAt).toBe(before.updatedAt);
    // A second run finds this post current.
    const again = await rerenderPosts(sql);
    expect(again.checked).toBeGreaterThanOrEqual(1);
    expect((await getPostById(sql, id))!.html).toBe(after.html);
  });

  it("brings a derived excerpt up to date even when the HTML is current, and leaves a writer's own alone", async () => {
    const { sql } = testDeps();
    const author = await createUser({ role: 'author' });
    const markdown = '# Snippet\n\n```ts\nconst a = 1;\n```';
    const rendered = await renderMarkdown(markdown);
    const stale = { excerpt: 'Snippet <span class="hljs-keyword">const</span> a = 1;' };
    const post = (excerptCustom: boolean) =>
      insertPost(sql, {
        slug: unique('stale-excerpt'),
        title: 'Excerpt from before the fix',
        markdown,
        ...rendered,
        ...stale,
        excerptCustom,
        status: 'published',
        publishedAt: new Date().toISOString(),
        authorId: author.id,
        tags: [],
      });
    const derived = await post(false);
    const own = await post(true);
    await rerenderPosts(sql);
    expect((await getPostById(sql, derived.id))!.excerpt).toBe('Snippet const a = 1;');
    expect((await getPostById(sql, own.id))!.excerpt).toBe(stale.excerpt);
  });
});

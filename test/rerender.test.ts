// `npm run db:rerender`'s work: stored HTML brought up to the current renderer, nothing else touched.
import { describe, expect, it } from 'vitest';
import { getComment, insertComment, setCommentStatus } from '../lib/db/comments';
import { getPostById, insertPost } from '../lib/db/posts';
import { renderMarkdown } from '../lib/markdown';
import { rerenderComments, rerenderPosts } from '../lib/rerender';
import { boxProblem } from './fixtures/html-box';
import { createPost, createUser, testDeps, unique } from './helpers';

// What the sanitizer stored for the comment of issue 23 before its output was rebuilt as a tree: a table left open.
const ISSUE_23 = {
  markdown: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  html: '<p><table>[removed]</p>\n',
};

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

describe('rerenderComments', () => {
  it('repairs HTML stored unbalanced, hidden comments too, and keeps the edited mark off', async () => {
    const { sql } = testDeps();
    const post = await createPost();
    const reader = await createUser({ role: 'reader' });
    const stored = async () => {
      const outcome = await insertComment(sql, {
        postId: post.id,
        parentId: null,
        authorId: reader.id,
        authorName: reader.displayName,
        ...ISSUE_23,
        duplicateWindowSeconds: 0,
      });
      if (outcome.status !== 'inserted') throw new Error(outcome.status);
      return outcome.id;
    };
    const shown = await stored();
    const hidden = await stored();
    await setCommentStatus(sql, hidden, 'hidden');
    expect(boxProblem(ISSUE_23.html)).not.toBeNull();

    const report = await rerenderComments(sql);
    expect(report.changed).toBeGreaterThanOrEqual(2);
    for (const id of [shown, hidden]) {
      const comment = (await getComment(sql, id))!;
      expect(comment.html).toBe((await renderMarkdown(ISSUE_23.markdown, 'comment')).html);
      expect(boxProblem(comment.html)).toBeNull();
      expect(comment.editedAt).toBeNull();
    }
    // A second run finds them current.
    await rerenderComments(sql);
    expect((await getComment(sql, shown))!.html).toBe((await renderMarkdown(ISSUE_23.markdown, 'comment')).html);
  });
});

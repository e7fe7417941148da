// The text Worker over the blog Worker's TEXT service binding, as deployed (an auxiliary Worker here, built by
// wrangler as `npm run deploy` builds it): what crosses RPC is the same as what the tools return in-process.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { localTextTools } from '../lib/text/local';
import type { TextTools } from '../lib/text/tools';

const text = (env as unknown as { TEXT: TextTools }).TEXT;

describe('the text Worker, over its service binding', () => {
  it('renders markdown as the in-process engine does, table of contents and excerpt included', async () => {
    const source = '## First\n\nSome **bold** text.\n\n```ts\nconst a = 1;\n```\n\n## Part two\n';
    const remote = await text.renderMarkdown(source, 'post');
    expect(remote).toEqual(await localTextTools.renderMarkdown(source, 'post'));
    expect(remote.ok && remote.rendered.toc.map((entry) => entry.text)).toEqual(['First', 'Part two']);
  });

  it('answers a refused input with its reason, not an exception', async () => {
    const refused = await text.renderMarkdown(`${'>'.repeat(40)} deep`, 'post');
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining('nested') });
  });

  it('renders many sources in one call, each with its own outcome', async () => {
    const outcomes = await text.renderMarkdowns(['*a*', `${'>'.repeat(40)} deep`, 'plain'], 'comment');
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
  });

  it('converts HTML to markdown with images moved to their copies (a Map crosses RPC)', async () => {
    const [converted] = await text.htmlToMarkdown(
      ['<p>Hi <img src="https://old.example/a.png" alt="a"></p>'],
      new Map([['https://old.example/a.png', '/media/a.png']]),
    );
    expect(converted).toEqual({ ok: true, markdown: 'Hi ![a](/media/a.png)' });
    expect(await text.imageSources(['<img src="x.png"><img src="x.png"><img src="y.png">'])).toEqual([
      ['x.png', 'y.png'],
    ]);
  });

  it('writes front matter that it reads back to the same fields', async () => {
    const post = {
      title: 'On: colons',
      slug: 'on-colons',
      date: '2026-01-02T03:04:05.000Z',
      author: 'ada',
      tags: ['a b'],
      draft: false,
      markdown: 'Body',
    };
    const [file] = await text.formatPostFiles([post]);
    const parsed = await text.parsePostFile(file!, 'posts/on-colons.md');
    expect(parsed).toMatchObject({
      ok: true,
      post: { title: 'On: colons', slug: 'on-colons', date: post.date, author: 'ada', tags: ['a b'], markdown: 'Body' },
    });
  });

  it('diffs line by line', async () => {
    expect(await text.diffText('a\nb\n', 'a\nc\n')).toEqual([
      { kind: 'same', text: 'a\n' },
      { kind: 'removed', text: 'b\n' },
      { kind: 'added', text: 'c\n' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatPostFile, parseDate, parsePostFile, type PostForFile } from '../../lib/front-matter';

describe('parsePostFile', () => {
  it('reads a Hexo post: list tags, a zone-less date, the slug from the file name', () => {
    const text =
      '---\ntitle: Hello World\ndate: 2013-07-13 20:46:25\ntags:\n  - Edge\n  - Notes\n---\nWelcome to Hexo!\n';
    expect(parsePostFile(text, 'source/_posts/hello-world.md')).toEqual({
      ok: true,
      post: {
        title: 'Hello World',
        slug: 'hello-world',
        date: '2013-07-13T20:46:25.000Z',
        tags: ['Edge', 'Notes'],
        draft: false,
        author: null,
        excerpt: null,
        page: false,
        markdown: 'Welcome to Hexo!',
      },
    });
  });

  it('reads a Jekyll post: date and slug from the file name, space-separated tags, a zone offset', () => {
    const named = parsePostFile(
      '---\nlayout: post\ntitle: "Welcome"\ntags: jekyll update\n---\n\nBody\n',
      '_posts/2016-03-24-welcome-to-jekyll.markdown',
    );
    expect(named).toMatchObject({
      ok: true,
      post: {
        slug: 'welcome-to-jekyll',
        date: '2016-03-24T00:00:00.000Z',
        tags: ['jekyll', 'update'],
        markdown: 'Body',
      },
    });
    const zoned = parsePostFile('---\ntitle: T\ndate: 2016-03-24 10:12:00 -0500\n---\nx', '_posts/2016-03-24-t.md');
    expect(zoned).toMatchObject({ ok: true, post: { date: '2016-03-24T15:12:00.000Z' } });
  });

  it('takes drafts from draft: true, published: false and a _drafts folder', () => {
    expect(parsePostFile('---\ntitle: A\ndraft: true\n---\nx', 'a.md')).toMatchObject({ post: { draft: true } });
    expect(parsePostFile('---\ntitle: A\npublished: false\n---\nx', 'a.md')).toMatchObject({ post: { draft: true } });
    expect(parsePostFile('---\ntitle: A\n---\nx', 'blog/_drafts/a.md')).toMatchObject({ post: { draft: true } });
    expect(parsePostFile('---\ntitle: A\n---\nx', 'blog/_posts/a.md')).toMatchObject({ post: { draft: false } });
  });

  it('keeps a title as typed, and prefers slug: to the file name', () => {
    expect(parsePostFile('---\ntitle: 1.0\nslug: Release One\n---\nx', 'other.md')).toMatchObject({
      post: { title: '1.0', slug: 'release-one' },
    });
  });

  it('says why it refuses a file', () => {
    expect(parsePostFile('# No front matter', 'a.md')).toEqual({
      ok: false,
      reason: expect.stringMatching(/no front matter/),
    });
    expect(parsePostFile('---\ntitle: [unclosed\n---\nx', 'a.md')).toEqual({
      ok: false,
      reason: expect.stringMatching(/not valid YAML/),
    });
    expect(parsePostFile('---\ndate: 2020-01-01\n---\nx', 'a.md')).toEqual({
      ok: false,
      reason: 'no title in the front matter',
    });
    expect(parsePostFile('---\ntitle: A\ndate: someday\n---\nx', 'a.md')).toEqual({
      ok: false,
      reason: expect.stringMatching(/someday/),
    });
    expect(parsePostFile('---\n- a\n- b\n---\nx', 'a.md')).toEqual({
      ok: false,
      reason: expect.stringMatching(/key: value/),
    });
  });
});

describe('parseDate', () => {
  it.each([
    ['2026-11-24T12:00:00.000Z', '2026-11-24T12:00:00.000Z'],
    ['2026-11-24', '2026-11-24T00:00:00.000Z'],
    ['2026-11-24 12:30', '2026-11-24T12:30:00.000Z'],
    ['2026-11-24T12:00:00+02:00', '2026-11-24T10:00:00.000Z'],
    ['2026-11-24 12:00:00 +0530', '2026-11-24T06:30:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it('refuses what is not a date', () => {
    expect(parseDate('next tuesday')).toBeNull();
    expect(parseDate(42)).toBeNull();
  });
});

describe('formatPostFile', () => {
  const post: PostForFile = {
    title: 'yes: a "quoted" title #1',
    slug: 'quoted',
    date: '2026-11-24T12:00:00.123Z',
    author: 'ada',
    tags: ['on', '2024', 'Edge Computing'],
    draft: false,
    markdown: '\nStarts with a blank line\r\nand has CRLF\n\n',
  };

  it('writes a file that reads back to the same fields', () => {
    const parsed = parsePostFile(formatPostFile(post), 'anything.md');
    expect(parsed).toEqual({
      ok: true,
      post: {
        title: post.title,
        slug: post.slug,
        date: post.date,
        author: 'ada',
        tags: post.tags,
        excerpt: null,
        draft: false,
        page: false,
        markdown: post.markdown,
      },
    });
  });

  it('writes a writer’s own excerpt, which reads back as written', () => {
    const excerpt = 'yes: a "quoted" excerpt: #1 — plain text, <b>not</b> HTML';
    const text = formatPostFile({ ...post, excerpt });
    expect(text).toMatch(/\nexcerpt: .*\n---\n/);
    const parsed = parsePostFile(text, 'x.md');
    expect(parsed).toMatchObject({ ok: true, post: { excerpt } });
    expect(parsed.ok && formatPostFile({ ...parsed.post, author: 'ada' })).toBe(text);
    expect(parsePostFile('---\ntitle: A\nexcerpt: ""\n---\nx', 'a.md')).toMatchObject({ post: { excerpt: null } });
  });

  it('writes a page as `layout: page`, and reads one from Jekyll, Hexo or a pages/ folder', () => {
    const text = formatPostFile({ ...post, page: true });
    expect(text).toMatch(/^---\ntitle: .*\nslug: quoted\nlayout: page\n/);
    expect(parsePostFile(text, 'x.md')).toMatchObject({ ok: true, post: { page: true } });
    expect(parsePostFile('---\nlayout: page\ntitle: About\n---\nHi', 'about.md')).toMatchObject({
      post: { page: true, slug: 'about' },
    });
    expect(parsePostFile('---\ntitle: About\n---\nHi', 'pages/about.md')).toMatchObject({ post: { page: true } });
    expect(parsePostFile('---\nlayout: post\ntitle: A\n---\nHi', 'a.md')).toMatchObject({ post: { page: false } });
  });

  it('writes drafts without a date, and the same bytes twice', () => {
    const draft = { ...post, draft: true, date: null };
    const text = formatPostFile(draft);
    expect(text).toMatch(/^---\ntitle: .*\nslug: quoted\nauthor: ada\ntags:\n/);
    expect(text).toContain('draft: true\n---\n\n');
    const parsed = parsePostFile(text, 'x.md');
    expect(parsed.ok && formatPostFile({ ...parsed.post, author: 'ada', date: null })).toBe(text);
  });
});

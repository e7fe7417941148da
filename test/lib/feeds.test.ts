import { describe, expect, it } from 'vitest';
import { escapeXml, renderRss, renderSitemap } from '../../lib/feeds';
import type { PostSummary } from '../../lib/schemas/post';

const site = { name: 'Q&A <blog>', url: 'https://blog.example', description: 'Notes' };
const post: PostSummary = {
  id: 1,
  slug: 'fish-chips',
  title: 'Fish & Chips <3',
  excerpt: 'Vinegar "always"',
  status: 'published',
  publishedAt: '2026-11-20T10:00:00.000Z',
  readingMinutes: 2,
  author: { id: 1, username: 'ada', displayName: 'Ada' },
  tags: [{ slug: 'food', name: 'Food' }],
};

describe('renderRss', () => {
  it('escapes every text node and links each post by its canonical URL', () => {
    const xml = renderRss(site, [post]);
    expect(xml).toContain('<title>Q&amp;A &lt;blog&gt;</title>');
    expect(xml).toContain('<title>Fish &amp; Chips &lt;3</title>');
    expect(xml).toContain('<link>https://blog.example/posts/fish-chips</link>');
    expect(xml).toContain('<description>Vinegar &quot;always&quot;</description>');
    expect(xml).toContain('<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate>');
    expect(xml).toContain('<category>Food</category>');
  });
});

describe('renderSitemap', () => {
  it('lists the home page and every post with its last change', () => {
    const xml = renderSitemap(site, [{ slug: 'a', updatedAt: '2026-11-20T10:00:00.000Z' }]);
    expect(xml).toContain('<loc>https://blog.example</loc>');
    expect(xml).toContain(
      '<url><loc>https://blog.example/posts/a</loc><lastmod>2026-11-20T10:00:00.000Z</lastmod></url>',
    );
  });
});

describe('escapeXml', () => {
  it('drops control characters XML cannot carry', () => {
    expect(escapeXml('a\u0001b\u000Bc')).toBe('abc');
  });
});

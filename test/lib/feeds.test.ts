import { describe, expect, it } from 'vitest';
import { isNotModified } from '../../lib/conditional';
import { absolutizeLinks, escapeXml, renderAtom, renderRss, renderSitemap, type FeedPost } from '../../lib/feeds';

const site = { name: 'Q&A <blog>', url: 'https://blog.example', description: 'Notes' };
const channel = { title: site.name, description: site.description, pagePath: '/', selfPath: '/feed.xml' };
const post: FeedPost = {
  id: 1,
  slug: 'fish-chips',
  title: 'Fish & Chips <3',
  excerpt: 'Vinegar "always"',
  status: 'published',
  publishedAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-21T08:30:00.000Z',
  readingMinutes: 2,
  author: { id: 1, username: 'ada', displayName: 'Ada & Co' },
  tags: [{ slug: 'food', name: 'Food' }],
  html: '<p>See <a href="/posts/other">this</a>, <a href="#part">part</a> and <a href="https://x.example/">x</a>.</p>',
};

describe('renderRss', () => {
  it('escapes every text node, links each post by its canonical URL and carries the full content', () => {
    const xml = renderRss(site, channel, [post]);
    expect(xml).toContain('<title>Q&amp;A &lt;blog&gt;</title>');
    expect(xml).toContain('<title>Fish &amp; Chips &lt;3</title>');
    expect(xml).toContain('<link>https://blog.example/posts/fish-chips</link>');
    expect(xml).toContain('<description>Vinegar &quot;always&quot;</description>');
    expect(xml).toContain('<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate>');
    expect(xml).toContain('<lastBuildDate>Sat, 21 Nov 2026 08:30:00 GMT</lastBuildDate>');
    expect(xml).toContain('<category>Food</category>');
    expect(xml).toContain('<content:encoded>&lt;p&gt;See &lt;a href=&quot;https://blog.example/posts/other&quot;');
  });
});

describe('renderAtom', () => {
  it('writes RFC 3339 dates, permanent ids and escaped HTML content', () => {
    const xml = renderAtom(site, { ...channel, selfPath: '/atom.xml' }, [post]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(xml).toContain('<id>https://blog.example/atom.xml</id>');
    expect(xml).toContain('<updated>2026-11-21T08:30:00.000Z</updated>');
    expect(xml).toContain('<id>https://blog.example/posts/fish-chips</id>');
    expect(xml).toContain('<published>2026-11-20T10:00:00.000Z</published>');
    expect(xml).toContain('<name>Ada &amp; Co</name>');
    expect(xml).toContain('<category term="food" label="Food"/>');
    expect(xml).toContain('<content type="html">&lt;p&gt;See');
    expect(xml).not.toMatch(/<content type="html">[^<]*<p>/);
  });

  it('dates an empty feed at the epoch rather than inventing a time', () => {
    expect(renderAtom(site, channel, [])).toContain('<updated>1970-01-01T00:00:00.000Z</updated>');
  });
});

describe('absolutizeLinks', () => {
  it('makes root-relative and fragment links absolute and leaves the rest', () => {
    const html = absolutizeLinks(post.html, site, 'https://blog.example/posts/fish-chips');
    expect(html).toContain('href="https://blog.example/posts/other"');
    expect(html).toContain('href="https://blog.example/posts/fish-chips#part"');
    expect(html).toContain('href="https://x.example/"');
    expect(absolutizeLinks('<img src="//cdn.example/a.png">', site, 'x')).toBe('<img src="//cdn.example/a.png">');
  });
});

describe('renderSitemap', () => {
  it('lists the home page and every entry with its last change', () => {
    const xml = renderSitemap(site, [{ path: '/posts/a', lastmod: '2026-11-20T10:00:00.000Z' }, { path: '/tags/b&c' }]);
    expect(xml).toContain('<loc>https://blog.example/</loc>');
    expect(xml).toContain(
      '<url><loc>https://blog.example/posts/a</loc><lastmod>2026-11-20T10:00:00.000Z</lastmod></url>',
    );
    expect(xml).toContain('<url><loc>https://blog.example/tags/b&amp;c</loc></url>');
  });
});

describe('escapeXml', () => {
  it('drops control characters XML cannot carry', () => {
    expect(escapeXml('a\u0001b\u000Bc')).toBe('abc');
  });
});

describe('isNotModified', () => {
  const ours = { etag: '"abc"', updated: '2026-11-21T08:30:00.500Z' };
  const h = (init: Record<string, string>) => new Headers(init);
  it('matches If-None-Match lists, weak or strong, and *', () => {
    expect(isNotModified(h({ 'if-none-match': '"zzz", W/"abc"' }), ours)).toBe(true);
    expect(isNotModified(h({ 'if-none-match': '*' }), ours)).toBe(true);
    expect(isNotModified(h({ 'if-none-match': '"zzz"' }), ours)).toBe(false);
  });
  it('compares If-Modified-Since at one-second precision, and ignores it beside If-None-Match', () => {
    expect(isNotModified(h({ 'if-modified-since': 'Sat, 21 Nov 2026 08:30:00 GMT' }), ours)).toBe(true);
    expect(isNotModified(h({ 'if-modified-since': 'Sat, 21 Nov 2026 08:29:59 GMT' }), ours)).toBe(false);
    expect(isNotModified(h({ 'if-modified-since': 'garbage' }), ours)).toBe(false);
    expect(
      isNotModified(h({ 'if-none-match': '"zzz"', 'if-modified-since': 'Sat, 21 Nov 2026 09:00:00 GMT' }), ours),
    ).toBe(false);
  });
});

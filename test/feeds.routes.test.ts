// Feeds and the sitemap through HTTP: parsed as XML, checked for escaping, absolute links, 304s and leaks.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { invalidatePosts } from '../lib/cache-keys';
import { bearer, call, createPost, createUser, jsonRequest, testDeps, unique } from './helpers';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'entry', 'url', 'category'].includes(name),
});

/** Well-formed XML, parsed; fails the test with the parser's message otherwise. */
function parseXml(xml: string): any {
  const valid = XMLValidator.validate(xml);
  expect(valid).toBe(true);
  return parser.parse(xml);
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** An author with a published, a draft and a scheduled post under one tag; cached lists dropped as a write would. */
async function seedTaggedAuthor() {
  const author = await createUser({ role: 'author', displayName: 'Feed <Writer> & Co' });
  const tag = { slug: unique('feedtag'), name: 'Feeds & <Things>' };
  const published = await createPost({
    authorId: author.id,
    title: `Fish & <Chips> ${unique('t')}`,
    markdown: 'Read [the other post](/posts/other) and [below](#below).\n\n```js\nif (a < b && c) {}\n```',
    tags: [tag],
    publishedAt: hoursAgo(2),
  });
  const draft = await createPost({
    authorId: author.id,
    title: `Draft ${unique('d')}`,
    status: 'draft',
    publishedAt: null,
    tags: [tag],
  });
  const scheduled = await createPost({
    authorId: author.id,
    title: `Scheduled ${unique('s')}`,
    status: 'scheduled',
    publishedAt: new Date(Date.now() + 86_400_000).toISOString(),
    tags: [tag],
  });
  await invalidatePosts(testDeps().cache, []);
  return { author, tag, published, draft, scheduled };
}

describe('GET /feed.xml', () => {
  it('is RSS listing a newly published post with full content, and not drafts', async () => {
    const author = await createUser({ role: 'author' });
    const title = `Feed & friends ${unique('f')}`;
    const draftTitle = `Draft ${unique('d')}`;
    await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Hi **there**.', status: 'published' }, await bearer(author)),
    );
    await call('/api/posts', jsonRequest('POST', { title: draftTitle, markdown: 'Hi.' }, await bearer(author)));
    const response = await call('/feed.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await response.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    const channel = parseXml(xml).rss.channel;
    const item = channel.item.find((i: any) => i.title === title);
    expect(item).toBeDefined();
    expect(item['content:encoded']).toContain('<strong>there</strong>');
    expect(new Date(item.pubDate).toString()).not.toBe('Invalid Date');
    expect(xml).not.toContain(draftTitle);
  });
});

describe('GET /atom.xml', () => {
  it('is a valid Atom feed with absolute links, escaped text and RFC 3339 dates', async () => {
    const { author, published } = await seedTaggedAuthor();
    const response = await call('/atom.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const site = parseXml(await response.text()).feed;
    expect(site['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(site.id).toBe('https://blog.example/atom.xml');
    expect(site.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The site feed holds only the newest posts, which other tests keep adding: read the entry from its author's.
    const feed = parseXml(await (await call(`/authors/${author.username}/feed.xml`)).text()).feed;
    const entry = feed.entry.find((e: any) => e.id === `https://blog.example/posts/${published.slug}`);
    expect(entry).toBeDefined();
    expect(entry.title['#text']).toMatch(/^Fish & <Chips> /);
    expect(entry.author.name).toBe('Feed <Writer> & Co');
    const content: string = entry.content['#text'];
    expect(content).toContain('href="https://blog.example/posts/other"');
    expect(content).toContain(`href="https://blog.example/posts/${published.slug}#below"`);
    expect(content).toContain('a &lt; b &amp;&amp; c');
  });
});

describe('GET /tags/:slug/feed.xml and /authors/:username/feed.xml', () => {
  it('carry only the published posts of that tag or author', async () => {
    const { author, tag, published, draft, scheduled } = await seedTaggedAuthor();
    for (const path of [`/tags/${tag.slug}/feed.xml`, `/authors/${author.username}/feed.xml`]) {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await response.text();
      const feed = parseXml(xml).feed;
      expect(feed.entry.map((e: any) => e.id)).toEqual([`https://blog.example/posts/${published.slug}`]);
      expect(feed.link.find((l: any) => l['@rel'] === 'self')['@href']).toBe(`https://blog.example${path}`);
      expect(xml).not.toContain(draft.slug);
      expect(xml).not.toContain(scheduled.slug);
    }
    const tagFeed = parseXml(await (await call(`/tags/${tag.slug}/feed.xml`)).text()).feed;
    expect(tagFeed.title['#text']).toBe('#Feeds & <Things> · lembas');
  });

  it('answer 404 for unknown tags, draft-only tags, readers and malformed names', async () => {
    const author = await createUser({ role: 'author' });
    const draftOnly = unique('hidden');
    await createPost({
      authorId: author.id,
      status: 'draft',
      publishedAt: null,
      tags: [{ slug: draftOnly, name: draftOnly }],
    });
    const reader = await createUser({ role: 'reader' });
    for (const path of [
      `/tags/${unique('nope')}/feed.xml`,
      `/tags/${draftOnly}/feed.xml`,
      `/authors/${reader.username}/feed.xml`,
      '/authors/%3Cx%3E/feed.xml',
    ]) {
      expect((await call(path)).status, path).toBe(404);
    }
  });
});

describe('conditional requests', () => {
  it.each(['/feed.xml', '/atom.xml', '/sitemap.xml'])(
    '%s answers 304 to its own ETag and Last-Modified',
    async (path) => {
      const first = await call(path);
      const etag = first.headers.get('etag');
      const lastModified = first.headers.get('last-modified');
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(lastModified).toMatch(/GMT$/);
      const byTag = await call(path, { headers: { 'If-None-Match': etag! } });
      expect(byTag.status).toBe(304);
      expect(await byTag.text()).toBe('');
      const byDate = await call(path, { headers: { 'If-Modified-Since': lastModified! } });
      expect(byDate.status).toBe(304);
      const stale = await call(path, { headers: { 'If-None-Match': '"0000"' } });
      expect(stale.status).toBe(200);
    },
  );

  it('a new post changes the ETag, so a reader holding the old one gets the new feed', async () => {
    const etag = (await call('/atom.xml')).headers.get('etag')!;
    const author = await createUser({ role: 'author' });
    await call(
      '/api/posts',
      jsonRequest('POST', { title: unique('fresh'), markdown: 'New.', status: 'published' }, await bearer(author)),
    );
    const response = await call('/atom.xml', { headers: { 'If-None-Match': etag } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).not.toBe(etag);
  });
});

describe('GET /sitemap.xml', () => {
  it('lists published posts, tags and authors with lastmod, and nothing unpublished', async () => {
    const { author, tag, published, draft, scheduled } = await seedTaggedAuthor();
    const response = await call('/sitemap.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await response.text();
    const urls: { loc: string; lastmod?: string }[] = parseXml(xml).urlset.url;
    const byLoc = new Map(urls.map((u) => [u.loc, u.lastmod]));
    for (const path of [`/posts/${published.slug}`, `/tags/${tag.slug}`, `/authors/${author.username}`]) {
      expect(byLoc.get(`https://blog.example${path}`), path).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(xml).not.toContain(draft.slug);
    expect(xml).not.toContain(scheduled.slug);
  });
});

describe('GET /robots.txt', () => {
  it('points crawlers at the sitemap and away from the API', async () => {
    const text = await (await call('/robots.txt')).text();
    expect(text).toContain('Sitemap: https://blog.example/sitemap.xml');
    expect(text).toContain('Disallow: /api/');
  });
});

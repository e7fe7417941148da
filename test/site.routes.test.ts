// The public site's newer pages: /tags, /authors/:username, /archive, and what a post page shows around the post.
import { describe, expect, it } from 'vitest';
import { invalidatePosts } from '../lib/cache-keys';
import { call, createPost, createUser, testDeps, unique } from './helpers';

/** Posts seeded straight into the database skip the API's invalidation; drop the cached lists as a write would. */
async function dropCachedLists(): Promise<void> {
  await invalidatePosts(testDeps().cache, []);
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

/** An author with one published post, one draft and one scheduled post, all with telling titles. */
async function authorWithPosts() {
  const author = await createUser({ role: 'author', displayName: 'Ada <Lovelace> & "Co"' });
  const tagSlug = unique('tg');
  const draftTag = unique('draft-only');
  const published = await createPost({
    authorId: author.id,
    title: `Published <b>bold</b> ${unique('p')}`,
    tags: [{ slug: tagSlug, name: 'Tag & <Co>' }],
    // Now, so it is among the newest posts however many other tests have published (the archive's first page).
  });
  const draft = await createPost({
    authorId: author.id,
    title: `Secret draft ${unique('d')}`,
    status: 'draft',
    publishedAt: null,
    tags: [{ slug: draftTag, name: draftTag }],
  });
  const scheduled = await createPost({
    authorId: author.id,
    title: `Secret scheduled ${unique('s')}`,
    status: 'scheduled',
    publishedAt: inDays(3),
  });
  await dropCachedLists();
  return { author, tagSlug, draftTag, published, draft, scheduled };
}

function expectHtmlPage(response: Response): void {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
}

describe('GET /tags', () => {
  it('lists public tags with their published post counts, escaped, and hides draft-only tags', async () => {
    const { tagSlug, draftTag } = await authorWithPosts();
    const response = await call('/tags');
    expectHtmlPage(response);
    const html = await response.text();
    expect(html).toContain(`href="/tags/${tagSlug}"`);
    expect(html).toContain('#Tag &amp; &lt;Co&gt;');
    expect(html).not.toContain('<Co>');
    expect(html).toMatch(
      new RegExp(`href="/tags/${tagSlug}">#Tag &amp; &lt;Co&gt;</a> <span class="muted">1 post</span>`),
    );
    expect(html).not.toContain(draftTag);
    expect(html).toContain('<link rel="canonical" href="https://blog.example/tags"/>');
  });
});

describe('GET /authors/:username', () => {
  it("shows the author's name, bio and only their published posts", async () => {
    const { author, published, draft, scheduled } = await authorWithPosts();
    const response = await call(`/authors/${author.username}`);
    expectHtmlPage(response);
    const html = await response.text();
    expect(html).toContain('Posts by Ada &lt;Lovelace&gt; &amp; &quot;Co&quot;');
    expect(html).toContain(`href="/posts/${published.slug}"`);
    expect(html).toContain('Published &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain(draft.slug);
    expect(html).not.toContain(scheduled.slug);
    expect(html).not.toContain('Secret');
    expect(html).toContain(`<link rel="canonical" href="https://blog.example/authors/${author.username}"/>`);
    expect(html).toContain(`href="/authors/${author.username}/feed.xml"`);
    expect(html).toContain('"@type":"ProfilePage"');
  });

  it('pages through posts with keyset cursors and rel=next', async () => {
    const author = await createUser({ role: 'author' });
    const slugs: string[] = [];
    for (let i = 0; i < 3; i++)
      slugs.push((await createPost({ authorId: author.id, publishedAt: hoursAgo(10 - i) })).slug);
    await dropCachedLists();
    const first = await (await call(`/authors/${author.username}?limit=2`)).text();
    expect(first).toContain(slugs[2]);
    expect(first).toContain(slugs[1]);
    expect(first).not.toContain(slugs[0]);
    const next = /<link rel="next" href="([^"]+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await (await call(next!.replaceAll('&amp;', '&'))).text();
    expect(second).toContain(slugs[0]);
    expect(second).not.toContain(slugs[2]);
  });

  it('answers 404 for unknown users, readers without posts and disabled-looking names', async () => {
    const reader = await createUser({ role: 'reader' });
    expect((await call(`/authors/${reader.username}`)).status).toBe(404);
    expect((await call(`/authors/${unique('nobody').slice(0, 30)}`)).status).toBe(404);
    expect((await call('/authors/%3Cscript%3E')).status).toBe(404);
  });
});

describe('GET /archive', () => {
  it('groups published posts by year and month and leaks no draft or scheduled post', async () => {
    const { published, draft, scheduled } = await authorWithPosts();
    const response = await call('/archive');
    expectHtmlPage(response);
    const html = await response.text();
    const now = new Date();
    const monthLabel = now.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(html).toContain(`<h2 id="y${now.getUTCFullYear()}">${now.getUTCFullYear()}</h2>`);
    expect(html).toContain(monthLabel);
    expect(html).toContain(`href="/posts/${published.slug}"`);
    expect(html).not.toContain(draft.slug);
    expect(html).not.toContain(scheduled.slug);
    expect(html).not.toContain('Secret');
  });

  it('refuses a malformed cursor with a friendly 400', async () => {
    expect((await call('/archive?cursor=%%%')).status).toBe(400);
  });
});

describe('GET /posts/:slug (around the post)', () => {
  it('links the author, shows previous/next and related posts, and never a draft or scheduled neighbour', async () => {
    const author = await createUser({ role: 'author' });
    const tag = { slug: unique('rel'), name: 'Related things' };
    // Neighbours are site-wide: a random minute in 1985 keeps other tests' posts from landing between these.
    const base = Date.UTC(1985, 0, 1) + Math.floor(Math.random() * 500_000) * 60_000;
    const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
    const older = await createPost({ authorId: author.id, title: 'Older one', tags: [tag], publishedAt: at(0) });
    const middle = await createPost({ authorId: author.id, title: 'Middle one', tags: [tag], publishedAt: at(1) });
    const newer = await createPost({ authorId: author.id, title: 'Newer one', publishedAt: at(3) });
    // Between the middle and the newer post, but not published: neither may become a neighbour.
    const scheduled = await createPost({
      authorId: author.id,
      title: 'Later',
      status: 'scheduled',
      publishedAt: at(2),
    });
    const draft = await createPost({
      authorId: author.id,
      title: 'Draft one',
      tags: [tag],
      status: 'draft',
      publishedAt: null,
    });
    const html = await (await call(`/posts/${middle.slug}`)).text();
    expect(html).toContain(`href="/authors/${author.username}"`);
    expect(html).toContain(`<a rel="prev" href="/posts/${older.slug}">`);
    expect(html).toContain(`<link rel="prev" href="/posts/${older.slug}"/>`);
    expect(html).toContain(`<a rel="next" href="/posts/${newer.slug}">`);
    expect(html).toContain(`<li><a href="/posts/${older.slug}">Older one</a></li>`);
    expect(html).not.toContain(draft.slug);
    expect(html).not.toContain(scheduled.slug);
  });

  it('shows only the neighbour there is: the oldest published post has a next post and no previous one', async () => {
    const author = await createUser({ role: 'author' });
    // Older than any other test's post (the oldest elsewhere is 1985), so nothing is published before it.
    const oldest = await createPost({
      authorId: author.id,
      title: 'The very first',
      publishedAt: '1970-01-02T00:00:00Z',
    });
    const html = await (await call(`/posts/${oldest.slug}`)).text();
    expect(html).not.toContain('rel="prev"');
    expect(html).toMatch(/<a rel="next" href="\/posts\/[^"]+">/);
    expect(html).not.toContain(`<a rel="next" href="/posts/${oldest.slug}">`);
  });

  it('carries Open Graph, Twitter and BlogPosting JSON-LD tags with script-safe JSON', async () => {
    const author = await createUser({ role: 'author' });
    const { slug } = await createPost({
      authorId: author.id,
      title: 'Breaking </script><script>alert(1)</script> news',
      markdown: 'An excerpt with "quotes" & <angles>.',
    });
    const html = await (await call(`/posts/${slug}`)).text();
    expect(html).toContain(`<link rel="canonical" href="https://blog.example/posts/${slug}"/>`);
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain(`<meta property="og:url" content="https://blog.example/posts/${slug}"/>`);
    expect(html).toContain('<meta name="twitter:card" content="summary"/>');
    expect(html).toContain('<meta property="article:published_time"');
    const ld = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
    expect(ld).toBeDefined();
    expect(ld).not.toContain('<');
    const data = JSON.parse(ld!);
    expect(data['@type']).toBe('BlogPosting');
    expect(data.headline).toBe('Breaking </script><script>alert(1)</script> news');
    expect(data.author.url).toBe(`https://blog.example/authors/${author.username}`);
    expect(html).not.toContain('<script>alert(1)');
  });
});

describe('SEO on the list pages', () => {
  it('gives the home page a canonical URL and Blog JSON-LD', async () => {
    const html = await (await call('/')).text();
    expect(html).toContain('<link rel="canonical" href="https://blog.example/"/>');
    expect(html).toContain('"@type":"Blog"');
    expect(html).toContain('<meta property="og:title"');
    expect(html).toContain('href="/atom.xml"');
  });

  it('keeps search results out of the index', async () => {
    const html = await (await call('/search?q=anything')).text();
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });
});

import { describe, expect, it } from 'vitest';
import { attributeOf, findElements, serialize } from './fixtures/html-box';
import { bearer, call, createPost, createUser, jsonRequest, unique } from './helpers';

describe('GET /', () => {
  it('renders the home page with the newest published posts', async () => {
    const title = `Home page post ${unique('t')}`;
    // Published through the API, as an author would, so the cached home page is dropped like in production.
    const author = await createUser({ role: 'author' });
    const published = await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Hello.', status: 'published' }, await bearer(author)),
    );
    expect(published.status).toBe(201);
    const response = await call('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("object-src 'none'");
    // Framing by other sites is refused by CSP (frame-ancestors), which replaced X-Frame-Options.
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain(title);
  });

  it('answers a broken cursor with a friendly 400 page', async () => {
    const response = await call('/?cursor=%%%');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Back to the latest posts');
  });
});

describe('GET /posts/:slug', () => {
  it('renders a post as HTML with its table of contents and sanitized body', async () => {
    const { slug } = await createPost({
      title: 'Safe rendering',
      markdown: '## One\n\nText <img src=x onerror="alert(1)"> and <script>alert(2)</script>\n\n## Two\n\nEnd.',
    });
    const response = await call(`/posts/${slug}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Safe rendering</h1>');
    expect(html).toContain('href="#one"');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('<script>alert');
  });

  it('shows a friendly 404 page for an unknown post', async () => {
    const response = await call(`/posts/${unique('nope')}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('We could not find that page');
  });
});

describe('unknown paths', () => {
  it('answers HTML paths with a page and API paths with problem+json', async () => {
    expect((await call('/no/such/page')).headers.get('content-type')).toMatch(/text\/html/);
    const api = await call('/api/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('GET /tags/:slug', () => {
  it('lists the published posts carrying the tag, linked from each post', async () => {
    const author = await createUser({ role: 'author' });
    const tagName = `Gardening ${unique('g')}`;
    const title = `Tomatoes ${unique('t')}`;
    const created = await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Grow.', status: 'published', tags: [tagName] }, await bearer(author)),
    );
    const post = await created.json<{ slug: string; tags: { slug: string }[] }>();
    const tagSlug = post.tags[0]?.slug ?? '';
    expect(await (await call(`/posts/${post.slug}`)).text()).toContain(`href="/tags/${tagSlug}"`);
    const page = await call(`/tags/${tagSlug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Posts tagged #${tagName}`);
    expect(html).toContain(title);
  });

  it('answers an unknown tag with a 404 page', async () => {
    const response = await call(`/tags/${unique('no-such-tag')}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('There is no tag at this address.');
  });
});

describe('GET /search', () => {
  it('finds published posts by words in their body, and keeps the query in the box', async () => {
    const author = await createUser({ role: 'author' });
    const word = `zs${Math.random().toString(36).slice(2, 8)}`;
    const title = `Searchable ${unique('s')}`;
    await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: `About ${word}.`, status: 'published' }, await bearer(author)),
    );
    const html = await (await call(`/search?q=${word}`)).text();
    expect(html).toContain(title);
    expect(html).toContain(`value="${word}"`);
  });

  it('escapes the query it echoes back', async () => {
    const html = await (await call('/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('shows a prompt, not an error, for an empty search', async () => {
    for (const path of ['/search', '/search?q=', '/search?q=%20%20']) {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Type a few words');
    }
  });
});

describe("the header's search form", () => {
  it('has a submit button on every page, not only the Enter key (WCAG H32)', async () => {
    const { slug } = await createPost();
    for (const path of ['/', `/posts/${slug}`, '/tags', '/archive', '/search?q=x', '/login']) {
      const html = await (await call(path)).text();
      const [form, ...more] = findElements(html, (element) => attributeOf(element, 'role') === 'search');
      expect(more, path).toEqual([]);
      expect(attributeOf(form!, 'action')).toBe('/search');
      const buttons = findElements(serialize(form!), (element) => element.tagName === 'button');
      expect(
        buttons.map((button) => [attributeOf(button, 'type'), serialize(button)]),
        path,
      ).toEqual([['submit', 'Search']]);
    }
  });
});

describe('addresses with a trailing slash', () => {
  it('redirect to the address without it', async () => {
    const { slug } = await createPost();
    const response = await call(`/posts/${slug}/`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(new URL(response.headers.get('location') ?? '').pathname).toBe(`/posts/${slug}`);
  });

  it('leave the home page alone, and treat an empty cursor as the first page', async () => {
    expect((await call('/')).status).toBe(200);
    expect((await call('/?cursor=')).status).toBe(200);
  });
});

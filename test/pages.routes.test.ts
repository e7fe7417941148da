import { describe, expect, it } from 'vitest';
import { call, createPost, createUser, unique } from './helpers';
import { bearer, jsonRequest } from './tokens';

describe('GET /', () => {
  it('renders the home page with the newest published posts', async () => {
    const title = `Home page post ${unique('t')}`;
    // Published through the API, as an author would, so the cached home page is dropped like in production.
    const author = await createUser({ role: 'author' });
    const published = await call('/api/posts', jsonRequest('POST', { title, markdown: 'Hello.', status: 'published' }, await bearer(author)));
    expect(published.status).toBe(201);
    const response = await call('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("object-src 'none'");
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

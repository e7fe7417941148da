import { describe, expect, it } from 'vitest';
import { bearer, call, createUser, jsonRequest, unique } from './helpers';

describe('GET /feed.xml', () => {
  it('is RSS listing a newly published post, and not drafts', async () => {
    const author = await createUser({ role: 'author' });
    const title = `Feed & friends ${unique('f')}`;
    const draftTitle = `Draft ${unique('d')}`;
    await call(
      '/api/posts',
      jsonRequest('POST', { title, markdown: 'Hi.', status: 'published' }, await bearer(author)),
    );
    await call('/api/posts', jsonRequest('POST', { title: draftTitle, markdown: 'Hi.' }, await bearer(author)));
    const response = await call('/feed.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await response.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    expect(xml).toContain(`<title>${title.replace('&', '&amp;')}</title>`);
    expect(xml).not.toContain(draftTitle);
  });
});

describe('GET /sitemap.xml', () => {
  it('lists published posts by their public URL', async () => {
    const author = await createUser({ role: 'author' });
    const slug = unique('mapped');
    await call(
      '/api/posts',
      jsonRequest('POST', { title: 'Mapped', slug, markdown: 'Hi.', status: 'published' }, await bearer(author)),
    );
    const xml = await (await call('/sitemap.xml')).text();
    expect(xml).toContain(`<loc>https://blog.example/posts/${slug}</loc>`);
  });
});

describe('GET /robots.txt', () => {
  it('points crawlers at the sitemap and away from the API', async () => {
    const text = await (await call('/robots.txt')).text();
    expect(text).toContain('Sitemap: https://blog.example/sitemap.xml');
    expect(text).toContain('Disallow: /api/');
  });
});

// A post's own excerpt: through the API and the admin's editor, the same rules (plain text, 300 characters, empty
// means the start of the body), and a refusal that loses nothing the writer typed.
import { describe, expect, it } from 'vitest';
import { getPostById, saveRenderedPost } from '../lib/db/posts';
import { renderMarkdown } from '../lib/markdown';
import { MAX_EXCERPT_LENGTH } from '../lib/schemas/post';
import { adminBrowserAs } from './admin-browser';
import { call, jsonRequest, signedIn, testDeps, unique } from './helpers';

type Json = Record<string, any>;

const BODY = 'The first paragraph of the body.\n\nMore below.';

async function createViaApi(headers: Record<string, string>, extra: Json = {}) {
  const response = await call(
    '/api/posts',
    jsonRequest(
      'POST',
      { title: 'Excerpts', slug: unique('ex'), markdown: BODY, status: 'published', ...extra },
      headers,
    ),
  );
  return { response, body: (await response.json()) as Json };
}

describe('the excerpt through the API', () => {
  it('keeps a writer’s own excerpt as one line of plain text, across body edits, until it is emptied', async () => {
    const { headers } = await signedIn('author');
    const { response, body } = await createViaApi(headers, { excerpt: '  My <b>own</b>\n\n  summary.  ' });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ excerpt: 'My <b>own</b> summary.', excerptCustom: true });
    // Shown as text on the page and in the feed, never as markup.
    const page = await (await call(`/posts/${body.slug}`)).text();
    expect(page).toContain('content="My &lt;b&gt;own&lt;/b&gt; summary."');
    expect(page).not.toContain('<b>own</b>');

    const edited = await call(
      `/api/posts/${body.id}`,
      jsonRequest('PATCH', { version: 1, markdown: 'A new body.' }, headers),
    );
    expect(await edited.json()).toMatchObject({ excerpt: 'My <b>own</b> summary.', excerptCustom: true });

    // A re-render (npm run db:rerender) keeps it too.
    await saveRenderedPost(testDeps().sql, body.id, await renderMarkdown('A new body.'));
    expect(await getPostById(testDeps().sql, body.id)).toMatchObject({ excerpt: 'My <b>own</b> summary.' });

    const cleared = await call(`/api/posts/${body.id}`, jsonRequest('PATCH', { version: 2, excerpt: '' }, headers));
    expect(await cleared.json()).toMatchObject({ excerpt: 'A new body.', excerptCustom: false });
    const again = await call(`/api/posts/${body.id}`, jsonRequest('PATCH', { version: 3, excerpt: 'Back.' }, headers));
    expect(await again.json()).toMatchObject({ excerpt: 'Back.', excerptCustom: true });
    const nulled = await call(`/api/posts/${body.id}`, jsonRequest('PATCH', { version: 4, excerpt: null }, headers));
    expect(await nulled.json()).toMatchObject({ excerpt: 'A new body.', excerptCustom: false });
  });

  it('derives the excerpt from the body when none is given', async () => {
    const { headers } = await signedIn('author');
    const { body } = await createViaApi(headers);
    expect(body).toMatchObject({ excerpt: 'The first paragraph of the body.', excerptCustom: false });
  });

  it('refuses an excerpt over the limit with problem+json naming the field, and saves nothing', async () => {
    const { headers } = await signedIn('author');
    const slug = unique('too-long');
    const response = await call(
      '/api/posts',
      jsonRequest(
        'POST',
        { title: 'Long', slug, markdown: BODY, excerpt: 'x'.repeat(MAX_EXCERPT_LENGTH + 1) },
        headers,
      ),
    );
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Json;
    expect(problem.errors).toEqual([
      { path: 'body.excerpt', message: `Excerpts are limited to ${MAX_EXCERPT_LENGTH} characters.` },
    ]);
    expect((await call(`/api/posts/by-slug/${slug}`, { headers })).status).toBe(404);

    const { body } = await createViaApi(headers);
    const patch = await call(
      `/api/posts/${body.id}`,
      jsonRequest('PATCH', { version: 1, excerpt: 'y'.repeat(MAX_EXCERPT_LENGTH + 1) }, headers),
    );
    expect(patch.status).toBe(422);
    expect(await getPostById(testDeps().sql, body.id)).toMatchObject({ version: 1, excerptCustom: false });
  });
});

describe('the excerpt in the editor', () => {
  it('saves it, shows it again on reload, and empties it back to the body’s', async () => {
    const author = await adminBrowserAs('author');
    const fields = { title: 'Editor excerpt', slug: unique('ed'), tags: '', markdown: BODY };
    const saved = await author.post('/admin/posts', { ...fields, excerpt: 'Written by hand.', intent: 'draft' });
    expect(saved.status).toBe(303);
    const id = Number(/\/admin\/posts\/(\d+)\/edit/.exec(saved.headers.get('location') ?? '')?.[1]);
    expect(await getPostById(testDeps().sql, id)).toMatchObject({ excerpt: 'Written by hand.', excerptCustom: true });

    const reloaded = await (await author.get(`/admin/posts/${id}/edit`)).text();
    expect(reloaded).toMatch(/<textarea name="excerpt"[^>]*>Written by hand\.<\/textarea>/);

    const emptied = await author.post(`/admin/posts/${id}`, { ...fields, excerpt: '', version: '1', intent: 'draft' });
    expect(emptied.status).toBe(303);
    expect(await getPostById(testDeps().sql, id)).toMatchObject({
      excerpt: 'The first paragraph of the body.',
      excerptCustom: false,
    });
    // Empty in the form again, with the derived one as a hint.
    const hint = await (await author.get(`/admin/posts/${id}/edit`)).text();
    expect(hint).toMatch(
      /<textarea name="excerpt"[^>]*placeholder="The first paragraph of the body\."[^>]*><\/textarea>/,
    );
  });

  it('refuses one that is too long with a message by the field, keeping everything typed', async () => {
    const author = await adminBrowserAs('author');
    const slug = unique('long');
    const excerpt = 'z'.repeat(MAX_EXCERPT_LENGTH + 5);
    const response = await author.post('/admin/posts', {
      title: 'Kept title',
      slug,
      tags: 'Kept tag',
      markdown: 'Kept *body*.',
      excerpt,
      intent: 'publish',
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain(`Excerpts are limited to ${MAX_EXCERPT_LENGTH} characters.`);
    expect(html).toContain(`>${excerpt}</textarea>`);
    expect(html).toContain('value="Kept title"');
    expect(html).toContain('value="Kept tag"');
    expect(html).toContain('Kept *body*.');
    expect((await call(`/api/posts/by-slug/${slug}`)).status).toBe(404);
  });
});

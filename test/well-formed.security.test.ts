// Every path that turns someone's markdown into stored or served HTML gives a balanced fragment: a reader's comment,
// a post saved through the API or imported, the previews, and the excerpts. On the pages, the element that holds
// the HTML holds exactly the stored tree and nothing after it (test/fixtures/html-box.ts checks a fragment alone).
import { describe, expect, it } from 'vitest';
import { getPostBySlug } from '../lib/db/posts';
import { importPostFile } from '../lib/import';
import { importExport, parseExport } from '../lib/importers';
import { adminBrowserAs } from './admin-browser';
import { attributeOf, boxProblem, findElements, serialize } from './fixtures/html-box';
import { brokenMarkup } from './fixtures/markup-corpus';
import { call, createPost, jsonRequest, signedIn, testDeps, unique, uniqueIp } from './helpers';

type Json = Record<string, any>;

// The reader's comment of issue 23, and a few of the corpus's kinds: a stray end tag that would close the page's
// list, a list item outside a list, a table left open, a raw-text element.
const ISSUE_23 = '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>';
const HOSTILE = [ISSUE_23, '</li></ol></section>after', '<em><li>item</em>', '<table><tr><td>open', '<xmp></li></xmp>'];

const hasClass = (name: string) => (element: { attrs: { name: string; value: string }[] }) =>
  attributeOf(element as Parameters<typeof attributeOf>[0], 'class')
    ?.split(' ')
    .includes(name) ?? false;

async function commentAsNewReader(postId: number, body: string): Promise<Json> {
  const reader = await signedIn('reader');
  const response = await call(
    `/api/posts/${postId}/comments`,
    jsonRequest('POST', { body }, { 'CF-Connecting-IP': uniqueIp(), ...reader.headers }),
  );
  expect(response.status).toBe(201);
  return { ...(await response.json<Json>()), headers: reader.headers };
}

describe('a post page', () => {
  it("keeps the comments after a hostile one in the thread, each comment's body as stored", async () => {
    const post = await createPost();
    const saved = [];
    for (const body of [...HOSTILE, 'The comment after them.']) saved.push(await commentAsNewReader(post.id, body));
    const page = await (await call(`/posts/${post.slug}`)).text();
    const [thread, ...more] = findElements(page, hasClass('thread'));
    expect(more).toEqual([]);
    const items = thread!.childNodes.filter((node) => 'tagName' in node);
    expect(items.map((item) => attributeOf(item, 'id'))).toEqual(saved.map((c) => `comment-${c.id}`));
    const bodies = findElements(page, hasClass('comment-body'));
    expect(bodies.map((body) => serialize(body))).toEqual(saved.map((c) => c.html));
    for (const comment of saved) expect(boxProblem(comment.html)).toBeNull();
  });

  it('keeps a hostile post body inside the post, as stored', async () => {
    const author = await signedIn('author');
    const markdown = HOSTILE.join('\n\n');
    const response = await call(
      '/api/posts',
      jsonRequest('POST', { title: 'Hostile', slug: unique('hostile'), markdown, status: 'published' }, author.headers),
    );
    expect(response.status).toBe(201);
    const post = await response.json<Json>();
    expect(boxProblem(post.html)).toBeNull();
    const page = await (await call(`/posts/${post.slug}`)).text();
    const [body] = findElements(page, hasClass('post-body'));
    expect(serialize(body!)).toBe(post.html);
    expect(findElements(page, (element) => attributeOf(element, 'id') === 'comments')).toHaveLength(1);
  });
});

describe('every other render path', () => {
  it('POST /api/markdown/preview answers a balanced fragment for each of the corpus', async () => {
    const author = await signedIn('author');
    for (const markdown of brokenMarkup) {
      const response = await call('/api/markdown/preview', jsonRequest('POST', { markdown }, author.headers));
      expect(response.status).toBe(200);
      expect(boxProblem((await response.json<Json>()).html), markdown).toBeNull();
    }
  });

  it('PATCH /api/comments/{id} stores a balanced fragment', async () => {
    const post = await createPost();
    const comment = await commentAsNewReader(post.id, 'Fine at first.');
    const response = await call(
      `/api/comments/${comment.id}`,
      jsonRequest('PATCH', { body: ISSUE_23 }, comment.headers),
    );
    expect(response.status).toBe(200);
    const edited = await response.json<Json>();
    expect(edited.html).not.toContain('<img');
    expect(boxProblem(edited.html)).toBeNull();
  });

  it("the admin editor's previews show a balanced fragment", async () => {
    const author = await adminBrowserAs('author');
    for (const markdown of HOSTILE) {
      const live = await (await author.post('/admin/preview', { markdown })).text();
      const [article] = findElements(live, hasClass('post-body'));
      expect(boxProblem(serialize(article!)), markdown).toBeNull();
    }
  });

  it('an imported file is stored as a balanced fragment', async () => {
    const { user } = await signedIn('admin');
    const slug = unique('imported');
    const text = `---\ntitle: Imported\nslug: ${slug}\n---\n${HOSTILE.join('\n\n')}\n`;
    const outcome = await importPostFile(testDeps(), user, { path: `${slug}.md`, text });
    expect(outcome.status).toBe('created');
    const post = await getPostBySlug(testDeps().sql, slug);
    expect(post!.html).not.toMatch(/onerror|<style|<math/);
    expect(boxProblem(post!.html)).toBeNull();
  });

  it('a post moved in from Ghost (HTML, converted to markdown) is stored as a balanced fragment', async () => {
    const { user } = await signedIn('admin');
    const slug = unique('ghost');
    const html = `<p>Moved.</p>${HOSTILE.join('')}<ul><li>a<li>b</ul></li></ul>after`;
    const post = {
      id: slug,
      title: 'From Ghost',
      slug,
      html,
      status: 'published',
      published_at: '2024-05-01T09:30:00Z',
    };
    const text = JSON.stringify({ db: [{ data: { posts: [post] } }] });
    const report = await importExport(testDeps(), user, parseExport('ghost', text, 'export.json'));
    expect(report.problems).toEqual([]);
    expect(report.created).toEqual([slug]);
    const saved = await getPostBySlug(testDeps().sql, slug);
    expect(saved!.html).not.toMatch(/onerror|<style|<math/);
    expect(boxProblem(saved!.html)).toBeNull();
  });

  it('excerpts are text: derived from hostile markup, or a writer’s own, they stay inside their card', async () => {
    const author = await signedIn('author');
    const tag = unique('excerpts');
    const write = (fields: Json) =>
      call(
        '/api/posts',
        jsonRequest(
          'POST',
          { title: 'Excerpt', slug: unique('excerpt'), status: 'published', tags: [tag], ...fields },
          author.headers,
        ),
      );
    const derived = await (await write({ markdown: `Start <em>here</em> ${HOSTILE.join(' ')} end.` })).json<Json>();
    const own = await (await write({ markdown: 'Body.', excerpt: '</p></article></main><table>mine' })).json<Json>();
    expect(derived.excerpt).not.toMatch(/[<>]/);
    const page = await (await call(`/tags/${derived.tags[0].slug}`)).text();
    const cards = findElements(page, (element) => element.tagName === 'article');
    const excerpts = cards.map((card) => card.childNodes.filter((node) => 'tagName' in node)[2]!);
    expect(excerpts.map((p) => (p.childNodes[0] as { value?: string } | undefined)?.value).sort()).toEqual(
      [derived.excerpt, own.excerpt].sort(),
    );
  });
});

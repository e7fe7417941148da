// A page is never a post: every list of posts (home, archive, tag and author pages, search, feeds, related posts,
// previous/next, /api/posts, the admin's dashboard) leaves it out, however it is tagged or dated; the sitemap lists it
// at /{slug}. The page here carries the post's tag and search word and is newer, so a missing `type = 'post'` shows.
import { describe, expect, it } from 'vitest';
import { invalidatePosts } from '../lib/cache-keys';
import { adminBrowserAs } from './admin-browser';
import { call, createPost, createUser, signedIn, testDeps, unique } from './helpers';

type Json = Record<string, any>;

async function postAndPage() {
  const author = await createUser({ role: 'editor' });
  const word = unique('zebrafish').replaceAll('-', '');
  const tag = { slug: unique('pgtag'), name: 'Page tag' };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const post = await createPost({
    authorId: author.id,
    title: `The post ${word}`,
    markdown: `About ${word}.`,
    tags: [tag],
    publishedAt: minutesAgo(2),
  });
  const sibling = await createPost({ authorId: author.id, title: 'Sibling', tags: [tag], publishedAt: minutesAgo(3) });
  const page = await createPost({
    authorId: author.id,
    type: 'page',
    title: `The page ${word}`,
    markdown: `About ${word} too.`,
    tags: [tag],
    publishedAt: minutesAgo(1),
  });
  // Seeded straight into the database: drop the cached lists as a write through the API would.
  await invalidatePosts(testDeps().cache, []);
  return { author, word, tag, post, sibling, page };
}

describe('pages in lists of posts', () => {
  it.each([
    ['the home page', () => '/'],
    ['the archive', () => '/archive'],
  ])('are not on %s', async (_name, path) => {
    const { page } = await postAndPage();
    const html = await (await call(path())).text();
    expect(html).not.toContain(page.slug);
  });

  it('are not on tag pages, author pages or their feeds, nor counted for the tag', async () => {
    const { author, tag, post, page } = await postAndPage();
    for (const path of [
      `/tags/${tag.slug}`,
      `/authors/${author.username}`,
      `/tags/${tag.slug}/feed.xml`,
      `/authors/${author.username}/feed.xml`,
    ]) {
      const body = await (await call(path)).text();
      expect(body, path).toContain(post.slug);
      expect(body, path).not.toContain(page.slug);
    }
    const { items: tags } = await (await call('/api/tags')).json<Json>();
    expect(tags.find((t: Json) => t.slug === tag.slug)?.postCount).toBe(2);
  });

  it('are not in the site feeds', async () => {
    const { page } = await postAndPage();
    for (const path of ['/feed.xml', '/atom.xml'])
      expect(await (await call(path)).text(), path).not.toContain(page.slug);
  });

  it('are not found by search, on the page or in the API', async () => {
    const { word, post, page } = await postAndPage();
    const html = await (await call(`/search?q=${word}`)).text();
    expect(html).toContain(post.slug);
    expect(html).not.toContain(page.slug);
    const api = await (await call(`/api/posts?q=${word}`)).json<Json>();
    expect(api.items.map((p: Json) => p.slug)).toEqual([post.slug]);
  });

  it('are not in /api/posts, whether filtered by tag, by author or not at all', async () => {
    const { author, tag, post, sibling, page } = await postAndPage();
    for (const query of [`tag=${tag.slug}`, `author=${author.username}`]) {
      const { items } = await (await call(`/api/posts?${query}`)).json<Json>();
      expect(
        items.map((p: Json) => p.slug),
        query,
      ).toEqual([post.slug, sibling.slug]);
    }
    const { items } = await (await call('/api/posts?limit=100')).json<Json>();
    expect(items.map((p: Json) => p.slug)).not.toContain(page.slug);
    expect((await call(`/api/posts/by-slug/${page.slug}`)).status).toBe(404);
    expect((await call(`/api/posts/${page.id}`)).status).toBe(404);
  });

  it('are neither related posts nor previous/next of a post', async () => {
    const { post, sibling, page } = await postAndPage();
    const related = await (await call(`/api/posts/${sibling.id}/related`)).json<Json>();
    expect((await call(`/api/posts/${page.id}/related`)).status).toBe(404);
    expect(related.items.map((p: Json) => p.slug)).toEqual([post.slug]);
    // The page is the newest of the three: without the type check it would be the post's "next".
    const html = await (await call(`/posts/${post.slug}`)).text();
    expect(html).toContain(sibling.slug);
    expect(html).not.toContain(page.slug);
  });

  it("are not on the admin's dashboard of posts", async () => {
    const admin = await adminBrowserAs('admin');
    const { word, post, page } = await postAndPage();
    const html = await (await admin.get(`/admin?q=${word}`)).text();
    expect(html).toContain(`/admin/posts/${post.id}/edit`);
    expect(html).not.toContain(`/admin/posts/${page.id}/edit`);
  });

  it('are in the sitemap, at /{slug}', async () => {
    const { post, page } = await postAndPage();
    const xml = await (await call('/sitemap.xml')).text();
    expect(xml).toContain(`<loc>https://blog.example/${page.slug}</loc>`);
    expect(xml).not.toContain(`/posts/${page.slug}`);
    expect(xml).toContain(`<loc>https://blog.example/posts/${post.slug}</loc>`);
  });

  it('take no comments or reactions (those are for posts)', async () => {
    const { page } = await postAndPage();
    expect((await call(`/api/posts/${page.id}/comments`)).status).toBe(404);
    const { headers } = await signedIn('reader');
    expect((await call(`/api/posts/${page.id}/reactions/like`, { method: 'PUT', headers })).status).toBe(404);
  });
});

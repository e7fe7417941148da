// The blog as a zip of markdown files with front matter, streamed a page of posts at a time, so exporting a large
// blog holds one page in memory. The Worker (GET /api/export) and `npm run export` build it with this same code.
import { Zip, ZipDeflate } from 'fflate';
import type { Sql } from './clients';
import { listPostsBySlug } from './db/posts';
import type { PostForFile } from './front-matter';
import type { Post } from './schemas/post';
import { textTools } from './text';

/** Posts per database read while exporting. */
const EXPORT_PAGE_SIZE = 50;

/** The whole blog, drafts included, as a zip stream (from the primary: an export should include the latest save). */
export function exportBlog(sql: Sql): ReadableStream<Uint8Array> {
  return exportArchive(postsInSlugOrder(sql));
}

async function* postsInSlugOrder(sql: Sql): AsyncGenerator<Post[]> {
  let after: { type: Post['type']; slug: string } | undefined;
  for (;;) {
    const page = await listPostsBySlug(sql, { after, limit: EXPORT_PAGE_SIZE });
    if (page.length > 0) yield page;
    if (page.length < EXPORT_PAGE_SIZE) return;
    const last = page[page.length - 1];
    after = last && { type: last.type, slug: last.slug };
  }
}

/**
 * A post as its file in the archive (`posts/<slug>.md`; a page is `pages/<slug>.md`, marked `layout: page`). The date is the publication time, or for a draft the time it was first written
 * (which the import keeps as the draft's creation time, so the round trip gives the same bytes). The front matter
 * is written by the text Worker (lib/front-matter.ts through lib/text), a page of posts per call.
 */
async function exportFiles(posts: Post[]): Promise<{ name: string; text: string; mtime: Date }[]> {
  const dateOf = (post: Post) => (post.status === 'draft' ? post.createdAt : post.publishedAt);
  const texts = await (await textTools()).formatPostFiles(posts.map((post) => fileFields(post, dateOf(post))));
  return posts.map((post, at) => ({
    name: `${post.type === 'page' ? 'pages' : 'posts'}/${post.slug}.md`,
    text: texts[at] ?? '',
    mtime: zipTime(dateOf(post)),
  }));
}

function fileFields(post: Post, date: string | null): PostForFile {
  return {
    title: post.title,
    slug: post.slug,
    date,
    author: post.author.username,
    tags: post.tags.map((tag) => tag.name),
    excerpt: post.excerptCustom ? post.excerpt : null,
    draft: post.status === 'draft',
    page: post.type === 'page',
    markdown: post.markdown,
  };
}

// Zip stores wall-clock times without a zone and cannot go before 1980. The time is written as its UTC reading
// (Workers run in UTC; `npm run export` sets TZ=UTC), so the same posts always give the same bytes.
const ZIP_EPOCH = Date.UTC(1980, 0, 1);
function zipTime(iso: string | null): Date {
  const utc = new Date(Math.max(iso ? Date.parse(iso) : ZIP_EPOCH, ZIP_EPOCH));
  return new Date(
    utc.getUTCFullYear(),
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  );
}

/**
 * Streams the archive of every post `pages` yields (in the order given; slug order makes it reproducible). Each
 * page is loaded only when the reader wants more bytes.
 */
export function exportArchive(pages: AsyncIterable<Post[]>): ReadableStream<Uint8Array> {
  const iterator = pages[Symbol.asyncIterator]();
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        if (chunk.length > 0) controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      const { value: posts, done } = await iterator.next();
      if (done) return zip.end();
      const encoder = new TextEncoder();
      for (const file of await exportFiles(posts)) {
        const entry = new ZipDeflate(file.name, { level: 6 });
        entry.mtime = file.mtime;
        zip.add(entry);
        entry.push(encoder.encode(file.text), true);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

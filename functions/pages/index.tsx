// Public HTML pages: the home page, single posts, tag pages and search.
import { Hono } from 'hono';
import { readThread } from '../../lib/comments';
import type { AppEnv } from '../../lib/env';
import { countView, isCountedViewer } from '../../lib/views';
import { AppError } from '../../lib/errors';
import { readPublishedPage, readPublishedPost, searchPosts } from '../../lib/posts';
import { SlugParams } from '../../lib/schemas/common';
import { ListPostsQuery, SearchPostsQuery } from '../../lib/schemas/post';
import { readTags } from '../../lib/tags';
import { PostListPage } from './views/post-list';
import { PostPage } from './views/post-page';

export const pages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { cursor, ...rest } = c.req.query();
    // An empty `cursor=` is the first page, not a broken link.
    const query = ListPostsQuery.safeParse(cursor ? { ...rest, cursor } : rest);
    if (!query.success) throw new AppError('bad_request', 'That page link is not valid.');
    const { config } = c.var.deps;
    const { value, status } = await readPublishedPage(c.var.deps, query.data);
    c.header('X-Cache', status);
    return c.html(
      <PostListPage
        page={value ?? { items: [], nextCursor: null }}
        siteName={config.SITE_NAME}
        title={config.SITE_NAME}
        description={config.SITE_DESCRIPTION}
        nextHref={(cursor) => `/?cursor=${encodeURIComponent(cursor)}`}
        emptyText="No posts yet."
      />,
    );
  })
  .get('/posts/:slug', async (c) => {
    const params = SlugParams.safeParse(c.req.param());
    if (!params.success) throw new AppError('not_found', 'There is no post at this address.');
    const { config } = c.var.deps;
    // The post and its thread are cached under their own keys and read in parallel.
    const [{ value, status }, thread] = await Promise.all([
      readPublishedPost(c.var.deps, params.data.slug),
      readThread(c.var.deps, params.data.slug),
    ]);
    c.header('X-Cache', status);
    if (!value) throw new AppError('not_found', 'There is no post at this address.');
    if (isCountedViewer(c.req.header('User-Agent'))) c.executionCtx.waitUntil(countView(c.var.deps, value.id));
    return c.html(
      <PostPage post={value} thread={thread.value} siteName={config.SITE_NAME} siteUrl={config.SITE_URL} />,
    );
  })
  .get('/tags/:slug', async (c) => {
    const query = SearchPostsQuery.safeParse({ ...c.req.query(), tag: c.req.param('slug') });
    if (!query.success) throw new AppError('not_found', 'There is no tag at this address.');
    const { deps } = c.var;
    // Both reads are cached and independent: on a hit the page costs one round trip.
    const [tags, { value, status }] = await Promise.all([
      readTags(deps),
      searchPosts(deps, { ...query.data, status: 'published', q: undefined }, null),
    ]);
    const tag = tags.value?.find((t) => t.slug === query.data.tag);
    if (!tag) throw new AppError('not_found', 'There is no tag at this address.');
    c.header('X-Cache', status);
    return c.html(
      <PostListPage
        page={value ?? { items: [], nextCursor: null }}
        siteName={deps.config.SITE_NAME}
        title={`#${tag.name}`}
        heading={`Posts tagged #${tag.name}`}
        description={tag.description || undefined}
        nextHref={(cursor) => `/tags/${tag.slug}?cursor=${encodeURIComponent(cursor)}`}
        emptyText="Nothing published under this tag yet."
      />,
    );
  })
  .get('/search', async (c) => {
    const { q: rawQuery, ...rest } = c.req.query();
    // An empty search box submits `q=`: show the prompt, not an error.
    const query = SearchPostsQuery.safeParse(rawQuery?.trim() ? { ...rest, q: rawQuery } : rest);
    if (!query.success) throw new AppError('bad_request', 'Search for up to 200 characters of text.');
    const { deps } = c.var;
    const q = query.data.q;
    const { value } = q
      ? await searchPosts(deps, { ...query.data, status: 'published' }, null)
      : { value: { items: [], nextCursor: null } };
    return c.html(
      <PostListPage
        page={value ?? { items: [], nextCursor: null }}
        siteName={deps.config.SITE_NAME}
        title={q ? `Search: ${q}` : 'Search'}
        heading={q ? `Results for “${q}”` : 'Search the posts'}
        query={q}
        nextHref={(cursor) => `/search?q=${encodeURIComponent(q ?? '')}&cursor=${encodeURIComponent(cursor)}`}
        emptyText={q ? 'No posts match. Try fewer or different words.' : 'Type a few words into the search box above.'}
      />,
    );
  });

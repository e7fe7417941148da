// Public HTML pages: the home page, single posts, tag pages and search.
import { Hono } from 'hono';
import { readThread } from '../../lib/comments';
import type { AppEnv } from '../../lib/env';
import { countView, isCountedViewer } from '../../lib/views';
import { AppError } from '../../lib/errors';
import { readPostContext, readPublishedPage, readPublishedPost, searchPosts } from '../../lib/posts';
import { SlugParams } from '../../lib/schemas/common';
import { ListPostsQuery, SearchPostsQuery } from '../../lib/schemas/post';
import { absoluteUrl, blogLd, siteInfo, tagPath } from '../../lib/seo';
import { readTags } from '../../lib/tags';
import { PostListPage } from './views/post-list';
import { PostPage } from './views/post-page';

export const pages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { cursor, ...rest } = c.req.query();
    // An empty `cursor=` is the first page, not a broken link.
    const query = ListPostsQuery.safeParse(cursor ? { ...rest, cursor } : rest);
    if (!query.success) throw new AppError('bad_request', 'That page link is not valid.');
    const site = siteInfo(c.var.deps.config);
    const { value, status } = await readPublishedPage(c.var.deps, query.data);
    c.header('X-Cache', status);
    const page = value ?? { items: [], nextCursor: null };
    return c.html(
      <PostListPage
        page={page}
        siteName={site.name}
        title={site.name}
        description={site.description}
        nextHref={(cursor) => `/?cursor=${encodeURIComponent(cursor)}`}
        emptyText="No posts yet."
        seo={{
          // Deeper pages are the same list further on: the first page is the one to index.
          canonical: absoluteUrl(site.url, '/'),
          jsonLd: query.data.cursor ? undefined : blogLd(site, page.items),
        }}
      />,
    );
  })
  .get('/posts/:slug', async (c) => {
    const params = SlugParams.safeParse(c.req.param());
    if (!params.success) throw new AppError('not_found', 'There is no post at this address.');
    const { deps } = c.var;
    // Independent cached reads side by side: on a hit the page waits for one round trip.
    const [{ value, status }, context, thread] = await Promise.all([
      readPublishedPost(deps, params.data.slug),
      readPostContext(deps, params.data.slug),
      readThread(deps, params.data.slug),
    ]);
    c.header('X-Cache', status);
    if (!value) throw new AppError('not_found', 'There is no post at this address.');
    if (isCountedViewer(c.req.header('User-Agent'))) c.executionCtx.waitUntil(countView(deps, value.id));
    return c.html(<PostPage post={value} site={siteInfo(deps.config)} context={context.value} thread={thread.value} />);
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
        seo={{
          canonical: absoluteUrl(deps.config.SITE_URL, tagPath(tag.slug)),
          feeds: [{ title: `#${tag.name} · ${deps.config.SITE_NAME}`, href: `${tagPath(tag.slug)}/feed.xml` }],
        }}
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
        seo={{ canonical: absoluteUrl(deps.config.SITE_URL, '/search'), noindex: Boolean(q) }}
      />,
    );
  });

// Public HTML pages: the home page, single posts, tag pages and search.
import { Hono } from 'hono';
import { cacheKeys } from '../../lib/cache-keys';
import type { Deps } from '../../lib/context';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { loadHomePage, loadTagPage, type ListQuery } from '../../lib/list-pages';
import { loadPostPage } from '../../lib/post-page';
import { searchPosts } from '../../lib/posts';
import { readSettings } from '../../lib/settings';
import { ListPostsQuery, SearchPostsQuery, SlugParams } from '../../lib/schemas/reader';
import { absoluteUrl, blogLd, siteInfo, tagPath } from '../../lib/seo';
import { cachedResponse, renderHtml, type Rendered } from '../cached-response';
import { PostListPage } from './views/post-list';
import { PostPage } from './views/post-page';

/** The home page; the cron renders it too, to warm the cache. */
export async function renderHomePage(deps: Deps, query: ListQuery): Promise<Rendered> {
  const { settings, page } = await loadHomePage(deps, query);
  const site = siteInfo(deps.config, settings);
  return renderHtml(
    <PostListPage
      page={page}
      site={settings}
      title={site.name}
      description={site.description}
      nextHref={(cursor) => `/?cursor=${encodeURIComponent(cursor)}`}
      emptyText="No posts yet."
      seo={{
        // Deeper pages are the same list further on: the first page is the one to index.
        canonical: absoluteUrl(site.url, '/'),
        jsonLd: query.cursor ? undefined : blogLd(site, page.items),
      }}
    />,
    '/',
  );
}

/** The page size only when the address asks for one; otherwise the settings' posts per page decide. */
function listQuery(query: ListPostsQuery, askedLimit: string | undefined): ListQuery {
  return { limit: askedLimit === undefined ? undefined : query.limit, cursor: query.cursor };
}

export const pages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { cursor, ...rest } = c.req.query();
    // An empty `cursor=` is the first page, not a broken link.
    const query = ListPostsQuery.safeParse(cursor ? { ...rest, cursor } : rest);
    if (!query.success) throw new AppError('bad_request', 'That page link is not valid.');
    // Only first pages are cached: they take the traffic, and client-supplied cursors must not mint keys.
    const list = listQuery(query.data, rest.limit);
    const key = list.cursor ? null : cacheKeys.response('home', list.limit ?? 'default');
    const response = await cachedResponse(c, key, () => renderHomePage(c.get('deps'), list));
    return response ?? c.notFound();
  })
  .get('/posts/:slug', async (c) => {
    const params = SlugParams.safeParse(c.req.param());
    if (!params.success) throw new AppError('not_found', 'There is no post at this address.');
    const deps = c.get('deps');
    const { slug } = params.data;
    // The post, its context (previous/next, related) and the first page of its thread are one cached document: one
    // round trip on a hit, and one (a batch) to the database on a miss. It is tagged with posts, since a write to
    // any post can change the context; comment, reaction and view changes drop it directly. Views are counted by
    // the page's beacon (functions/posts/views.ts), since the edge serves most reads without running this.
    const response = await cachedResponse(c, cacheKeys.response('post', slug), async () => {
      const page = await loadPostPage(deps, slug);
      return page && renderHtml(<PostPage {...page} site={siteInfo(deps.config, page.settings)} />, c.req.path);
    });
    if (!response) throw new AppError('not_found', 'There is no post at this address.');
    return response;
  })
  .get('/tags/:slug', async (c) => {
    const query = SearchPostsQuery.safeParse({ ...c.req.query(), tag: c.req.param('slug') });
    if (!query.success) throw new AppError('not_found', 'There is no tag at this address.');
    const deps = c.get('deps');
    const { tag: slug = '', cursor } = query.data;
    const list = listQuery(query.data, c.req.query('limit'));
    const key = cursor ? null : cacheKeys.response('tag', slug, list.limit ?? 'default');
    // The tag, its posts and the settings are one cached document: one round trip on a hit, one batch on a miss.
    const response = await cachedResponse(c, key, async () => {
      const { settings, tag, page } = await loadTagPage(deps, slug, list);
      if (!tag) return null;
      const siteName = settings.title;
      return renderHtml(
        <PostListPage
          page={page}
          site={settings}
          title={`#${tag.name}`}
          heading={`Posts tagged #${tag.name}`}
          description={tag.description || undefined}
          nextHref={(next) => `/tags/${tag.slug}?cursor=${encodeURIComponent(next)}`}
          emptyText="Nothing published under this tag yet."
          seo={{
            canonical: absoluteUrl(deps.config.SITE_URL, tagPath(tag.slug)),
            feeds: [{ title: `#${tag.name} · ${siteName}`, href: `${tagPath(tag.slug)}/feed.xml` }],
          }}
        />,
        c.req.path,
      );
    });
    if (!response) throw new AppError('not_found', 'There is no tag at this address.');
    return response;
  })
  .get('/search', async (c) => {
    const { q: rawQuery, ...rest } = c.req.query();
    // An empty search box submits `q=`: show the prompt, not an error.
    const query = SearchPostsQuery.safeParse(rawQuery?.trim() ? { ...rest, q: rawQuery } : rest);
    if (!query.success) throw new AppError('bad_request', 'Search for up to 200 characters of text.');
    const deps = c.get('deps');
    const q = query.data.q;
    const [settings, { value }] = await Promise.all([
      readSettings(deps),
      q ? searchPosts(deps, { ...query.data, status: 'published' }, null) : { value: { items: [], nextCursor: null } },
    ]);
    return c.html(
      <PostListPage
        page={value ?? { items: [], nextCursor: null }}
        site={settings}
        title={q ? `Search: ${q}` : 'Search'}
        heading={q ? `Results for “${q}”` : 'Search the posts'}
        query={q}
        nextHref={(cursor) => `/search?q=${encodeURIComponent(q ?? '')}&cursor=${encodeURIComponent(cursor)}`}
        emptyText={q ? 'No posts match. Try fewer or different words.' : 'Type a few words into the search box above.'}
        seo={{ canonical: absoluteUrl(deps.config.SITE_URL, '/search'), noindex: Boolean(q) }}
      />,
    );
  });

// GET /authors/:username: who writes here (name, bio) and their published posts, a keyset page at a time.
import { Hono } from 'hono';
import { loadAuthorPage } from '../../lib/list-pages';
import { cacheKeys } from '../../lib/cache-keys';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { ListPostsQuery, Username } from '../../lib/schemas/reader';
import { absoluteUrl, authorPath, profilePageLd, siteInfo } from '../../lib/seo';
import { cachedResponse, renderHtml } from '../cached-response';
import { PostListPage } from './views/post-list';

export const authorPages = new Hono<AppEnv>().get('/authors/:username', async (c) => {
  const username = Username.safeParse(c.req.param('username'));
  if (!username.success) throw new AppError('not_found', 'There is no author at this address.');
  const { cursor, ...rest } = c.req.query();
  const query = ListPostsQuery.safeParse(cursor ? { ...rest, cursor } : rest);
  if (!query.success) throw new AppError('bad_request', 'That page link is not valid.');
  const deps = c.get('deps');
  // Profile and first page are one cached document (under the posts tag, which profile edits drop too); client
  // cursors must not mint keys, so deeper pages are rendered each time.
  const list = { limit: rest.limit === undefined ? undefined : query.data.limit, cursor: query.data.cursor };
  const key = list.cursor ? null : cacheKeys.response('author', username.data.toLowerCase(), list.limit ?? 'default');
  const response = await cachedResponse(c, key, async () => {
    const { settings, author, posts } = await loadAuthorPage(deps, username.data, list);
    if (!author) return null;
    const site = siteInfo(deps.config, settings);
    const path = authorPath(author.username);
    return renderHtml(
      <PostListPage
        page={posts}
        site={settings}
        title={author.displayName}
        heading={`Posts by ${author.displayName}`}
        intro={author.bio || undefined}
        description={author.bio || `Posts by ${author.displayName} on ${site.name}.`}
        nextHref={(next) => `${path}?cursor=${encodeURIComponent(next)}`}
        emptyText="Nothing published yet."
        seo={{
          canonical: absoluteUrl(site.url, path),
          type: 'profile',
          jsonLd: profilePageLd(site, author),
          feeds: [{ title: `${author.displayName} · ${site.name}`, href: `${path}/feed.xml` }],
        }}
      />,
      c.req.path,
    );
  });
  if (!response) throw new AppError('not_found', 'There is no author at this address.');
  return response;
});

// GET /authors/:username: who writes here (name, bio) and their published posts, a keyset page at a time.
import { Hono } from 'hono';
import { readAuthorPage } from '../../lib/authors';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { ListPostsQuery } from '../../lib/schemas/post';
import { Username } from '../../lib/schemas/user';
import { absoluteUrl, authorPath, profilePageLd, siteInfo } from '../../lib/seo';
import { PostListPage } from './views/post-list';

export const authorPages = new Hono<AppEnv>().get('/authors/:username', async (c) => {
  const username = Username.safeParse(c.req.param('username'));
  if (!username.success) throw new AppError('not_found', 'There is no author at this address.');
  const { cursor, ...rest } = c.req.query();
  const query = ListPostsQuery.safeParse(cursor ? { ...rest, cursor } : rest);
  if (!query.success) throw new AppError('bad_request', 'That page link is not valid.');
  const { deps } = c.var;
  const { author, posts, status } = await readAuthorPage(deps, username.data, query.data);
  if (!author) throw new AppError('not_found', 'There is no author at this address.');
  c.header('X-Cache', status);
  const site = siteInfo(deps.config);
  const path = authorPath(author.username);
  return c.html(
    <PostListPage
      page={posts}
      siteName={site.name}
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
  );
});

// GET /archive: every published post by year and month, newest first, a large keyset page at a time.
import { Hono } from 'hono';
import { groupByMonth } from '../../lib/archive';
import { cacheKeys } from '../../lib/cache-keys';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { loadHomePage } from '../../lib/list-pages';
import { Cursor } from '../../lib/schemas/reader';
import { absoluteUrl, postPath, siteInfo } from '../../lib/seo';
import { cachedResponse, renderHtml } from '../cached-response';
import { formatDate, Layout } from './views/layout';
import { OlderPostsLink } from './views/post-list';

/** Titles only, so a page can hold many. */
const ARCHIVE_PAGE = 100;

export const archivePage = new Hono<AppEnv>().get('/archive', async (c) => {
  const rawCursor = c.req.query('cursor');
  const cursor = rawCursor ? Cursor.safeParse(rawCursor) : null;
  if (cursor && !cursor.success) throw new AppError('bad_request', 'That page link is not valid.');
  const deps = c.get('deps');
  // Only the first page is cached: client cursors must not mint keys.
  const key = cursor ? null : cacheKeys.response('archive', ARCHIVE_PAGE);
  const response = await cachedResponse(c, key, async () => {
    const { settings, page } = await loadHomePage(deps, { limit: ARCHIVE_PAGE, cursor: cursor?.data });
    const site = siteInfo(deps.config, settings);
    const next = page.nextCursor ? `/archive?cursor=${encodeURIComponent(page.nextCursor)}` : undefined;
    return renderHtml(
      <Layout
        title="Archive"
        site={settings}
        seo={{
          canonical: absoluteUrl(site.url, '/archive'),
          description: `Everything published on ${site.name}.`,
          next,
        }}
      >
        <h1 class="list-heading">Archive</h1>
        {page.items.length === 0 ? <p class="empty">No posts yet.</p> : null}
        {groupByMonth(page.items).map((year) => (
          <section class="archive-year" aria-labelledby={`y${year.year}`}>
            <h2 id={`y${year.year}`}>{year.year}</h2>
            {year.months.map((month) => (
              <section class="archive-month" aria-labelledby={`m${month.key}`}>
                <h3 id={`m${month.key}`}>{month.label}</h3>
                <ul>
                  {month.posts.map((post) => (
                    <li>
                      <time datetime={post.publishedAt ?? ''}>{formatDate(post.publishedAt, settings)}</time>{' '}
                      <a href={postPath(post.slug)}>{post.title}</a>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </section>
        ))}
        <OlderPostsLink href={next} />
      </Layout>,
      c.req.path,
    );
  });
  return response ?? c.notFound();
});

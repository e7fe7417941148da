// Public HTML pages: the home page and single posts.
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { readPublishedPage, readPublishedPost } from '../../lib/posts';
import { SlugParams } from '../../lib/schemas/common';
import { ListPostsQuery } from '../../lib/schemas/post';
import { SITE_CSS } from './site-css';
import { HomePage } from './views/post-list';
import { PostPage } from './views/post-page';

export const pages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const query = ListPostsQuery.safeParse(c.req.query());
    if (!query.success) throw new AppError('bad_request', 'That page link is not valid.');
    const { config } = c.var.deps;
    const { value, status } = await readPublishedPage(c.var.deps, query.data);
    c.header('X-Cache', status);
    return c.html(
      <HomePage page={value ?? { items: [], nextCursor: null }} siteName={config.SITE_NAME} description={config.SITE_DESCRIPTION} />,
    );
  })
  .get('/posts/:slug', async (c) => {
    const params = SlugParams.safeParse(c.req.param());
    if (!params.success) throw new AppError('not_found', 'There is no post at this address.');
    const { config } = c.var.deps;
    const { value, status } = await readPublishedPost(c.var.deps, params.data.slug);
    c.header('X-Cache', status);
    if (!value) throw new AppError('not_found', 'There is no post at this address.');
    return c.html(<PostPage post={value} siteName={config.SITE_NAME} siteUrl={config.SITE_URL} />);
  })
  .get('/static/site.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

// /admin/pages: editors' pages. The list is here; writing them is the post editor's routes (writingRoutes).
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { listPages } from '../../lib/pages/pages';
import { requireSignedIn, signedInSession } from '../auth/session';
import { PAGES, writingRoutes } from './posts';
import { PagesList } from './views/pages';

export const adminPages = new Hono<AppEnv>()
  .get('/admin/pages', requireSignedIn('editor'), async (c) => {
    const { user } = await signedInSession(c);
    const pages = await listPages(c.var.deps, user, true);
    const message = c.req.query('done') === 'deleted' ? 'Page deleted.' : undefined;
    return c.html(<PagesList user={user} pages={pages} message={message} />);
  })
  .route('/', writingRoutes(PAGES));

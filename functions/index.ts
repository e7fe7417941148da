// The Worker: composes the app from one sub-app per resource and exports the fetch and cron handlers.
import { OpenAPIHono } from '@hono/zod-openapi';
import { except } from 'hono/combine';
import { trimTrailingSlash } from 'hono/trailing-slash';
import type { AppEnv } from '../lib/env';
import { admin } from './admin';
import { recoveryApi } from './auth/recovery';
import { authApi } from './auth/routes';
import { commentsApi } from './comments/api';
import { reactionsApi } from './reactions/api';
import { formCsrf, viewerSession } from './auth/session';
import { docs } from './docs';
import { API_TAGS, documentInfo } from './docs/document';
import { handleError, handleNotFound } from './errors';
import { exportApi } from './export/api';
import { feeds } from './feeds';
import { health } from './health';
import { mediaApi, mediaFiles } from './media/api';
import {
  apiBodyLimit,
  authenticateApi,
  edgeCachePolicy,
  initRequest,
  pagesOnly,
  securityHeaders,
  serverTiming,
} from './middleware';
import { pages } from './pages';
import { archivePage } from './pages/archive';
import { authorPages } from './pages/authors';
import { tagIndexPage } from './pages/tag-index';
import { accountPages } from './pages/account';
import { emailPages } from './pages/email';
import { postActions } from './pages/post-actions';
import { pagesApi } from './static-pages/api';
import { staticPages } from './pages/static-page';
import { postsApi } from './posts/api';
import { revisionsApi } from './posts/revisions';
import { legacyPostRoutes } from './posts/legacy';
import { previewApi } from './posts/preview';
import { viewsApi } from './posts/views';
import { legacyPathRedirects, legacyQueryRedirect } from './redirects';
import { runScheduled } from './scheduled';
import { settingsApi } from './settings/api';
import { setupPages } from './setup';
import { themeStylesheetRoute } from './settings/theme';
import { runQueue } from './queue';
import type { JobMessage } from '../lib/jobs/messages';
import { indexNowKey } from './indexnow';
import { webhooksApi } from './webhooks/api';
import { subscribersApi } from './subscribers/api';
import { subscribePages } from './subscribers/pages';
import { tagsApi } from './tags/api';
import { usersApi } from './users/api';

const app = new OpenAPIHono<AppEnv>();

// First in, so it sees every response last: whatever no route marked as shared is never stored by Workers Cache.
app.use(edgeCachePolicy());
app.use(serverTiming());
app.use(securityHeaders());
// `/posts/x/` redirects to `/posts/x` (only when the slashed address would otherwise be a 404).
app.use(trimTrailingSlash());
app.onError(handleError);
app.notFound(handleNotFound);
app.route('/', docs);

// Image uploads carry up to 5 MB and have their own cap.
app.use('/api/*', except('/api/media', apiBodyLimit()));
app.use(initRequest());
app.use('/api/*', authenticateApi());
app.use(pagesOnly(formCsrf()));
app.use(pagesOnly(viewerSession()));
app.route('/', health);
app.route('/', authApi);
app.route('/', recoveryApi);
app.route('/', usersApi);
// Before the current post routes: an old slug address is redirected before it could be read as an id.
app.route('/', legacyPostRoutes);
app.route('/', postsApi);
app.route('/', revisionsApi);
app.route('/', pagesApi);
app.route('/', previewApi);
app.route('/', viewsApi);
app.route('/', tagsApi);
app.route('/', commentsApi);
app.route('/', reactionsApi);
app.route('/', mediaApi);
app.route('/', mediaFiles);
app.route('/', exportApi);
app.route('/', settingsApi);
app.route('/', themeStylesheetRoute);
app.route('/', webhooksApi);
app.route('/', subscribersApi);
app.route('/', feeds);
app.route('/', tagIndexPage);
app.route('/', authorPages);
app.route('/', archivePage);
app.route('/', accountPages);
app.route('/', setupPages);
app.route('/', emailPages);
app.route('/', subscribePages);
app.route('/', admin);
app.route('/', postActions);
app.route('/', indexNowKey);
app.route('/', legacyQueryRedirect);
app.route('/', pages);

app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'The accessToken from POST /api/auth/login.',
});
app.doc31('/openapi.json', (c) => {
  const origin = new URL(c.req.url).origin;
  return { openapi: '3.1.0', info: documentInfo(origin), servers: [{ url: origin }], tags: API_TAGS };
});

// Pages at `/{slug}` answer whatever no route above did: keep this last.
app.route('/', staticPages);

/** The composed app, for tests that walk its routes (e.g. every form route gets malformed bodies). */
export { app };

// Pages at `/{slug}` answer what no route above did; a slug that is no page passes on to the old addresses.
app.route('/', staticPages);
// Last of all routes, so only a path nothing above answered is looked up as an imported post's old address.
app.route('/', legacyPathRedirects);

export default {
  fetch: app.fetch,
  scheduled: runScheduled,
  queue: runQueue,
} satisfies ExportedHandler<AppEnv['Bindings'], JobMessage>;

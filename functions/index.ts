// The Worker: composes the app from one sub-app per resource and exports the fetch and cron handlers. What a reader's
// page needs is mounted as is; the JSON API and the form pages (admin included) are mounted lazily
// (functions/lazy-routes.ts), each at its place in the order, and load on the first request that reaches them.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { except } from 'hono/combine';
import { trimTrailingSlash } from 'hono/trailing-slash';
import type { AppEnv } from '../lib/env';
import { formCsrf, viewerSession } from './auth/session';
import { docs } from './docs';
import { API_TAGS, documentInfo } from './docs/document';
import { handleError, handleNotFound } from './errors';
import { feeds } from './feeds';
import { FORM_PATH } from './form-paths';
import { health } from './health';
import { lazyRoutes } from './lazy-routes';
import { mediaFiles } from './media/files';
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
import { staticPages } from './pages/static-page';
import { legacyPathRedirects, legacyQueryRedirect } from './redirects';
import { themeStylesheetRoute } from './settings/theme';
import type { JobMessage } from '../lib/jobs/messages';
import { indexNowKey } from './indexnow';

type App = OpenAPIHono<AppEnv>;

/** How the two lazily loaded groups are mounted: as themselves, or as a stand-in that loads them. */
interface Groups {
  api(app: App): void;
  forms(app: App): void;
}

function composeApp(groups: Groups): App {
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

  // Image uploads carry up to 5 MB and have their own cap. (A condition, not a path pattern: except() builds a
  // router for a pattern, at start-up.)
  app.use(
    '/api/*',
    except((c) => c.req.path === '/api/media', apiBodyLimit()),
  );
  app.use(initRequest());
  app.use('/api/*', authenticateApi());
  app.use(pagesOnly(formCsrf()));
  app.use(pagesOnly(viewerSession()));
  app.route('/', health);
  // Every route under /api (functions/api-routes.ts); no route after it answers an /api address.
  groups.api(app);
  app.route('/', mediaFiles);
  app.route('/', themeStylesheetRoute);
  app.route('/', feeds);
  app.route('/', tagIndexPage);
  app.route('/', authorPages);
  app.route('/', archivePage);
  // Account, setup, mailed-link, subscription and admin pages and a post's form actions (functions/form-routes.ts).
  groups.forms(app);
  app.route('/', indexNowKey);
  app.route('/', legacyQueryRedirect);
  app.route('/', pages);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The accessToken from POST /api/auth/login.',
  });
  app.get('/openapi.json', serveOpenApiDocument);

  // Pages at `/{slug}` answer what no route above did; a slug that is no page passes on to the old addresses.
  app.route('/', staticPages);
  // Last of all routes, so only a path nothing above answered is looked up as an imported post's old address.
  app.route('/', legacyPathRedirects);
  return app;
}

const loadApiRoutes = () => import('./api-routes').then(({ apiRoutes }) => apiRoutes);
const loadFormRoutes = () => import('./form-routes').then(({ formRoutes }) => formRoutes);

/** The app the Worker serves: the API and the form pages load on first use. */
const app = composeApp({
  api(app) {
    app.all('/api/*', lazyRoutes(loadApiRoutes));
  },
  forms(app) {
    const forms = lazyRoutes(loadFormRoutes);
    app.all('*', function formRoutes(c, next) {
      return FORM_PATH.test(c.req.path) ? forms(c, next) : next();
    });
  },
});

let composed: Promise<App> | undefined;

/**
 * The same app with every group mounted as itself: for the OpenAPI document (built from every route's definition)
 * and for tests that walk every route (e.g. every form route gets malformed bodies).
 */
export function loadFullApp(): Promise<App> {
  return (composed ??= Promise.all([loadApiRoutes(), loadFormRoutes()]).then(([api, forms]) =>
    composeApp({ api: (app) => app.route('/', api), forms: (app) => app.route('/', forms) }),
  ));
}

async function serveOpenApiDocument(c: Context<AppEnv>): Promise<Response> {
  const origin = new URL(c.req.url).origin;
  const full = await loadFullApp();
  // As the library's doc31() answers: a document that cannot be built is a 500 carrying the error.
  try {
    return c.json(
      full.getOpenAPI31Document({
        openapi: '3.1.0',
        info: documentInfo(origin),
        servers: [{ url: origin }],
        tags: API_TAGS,
      }),
    );
  } catch (error) {
    return c.json(error as object, 500);
  }
}

export { app };

export default {
  fetch: app.fetch,
  // The cron and the jobs queue load their code (publishing, warming, mail, webhooks) when they first run: a reader's
  // request never needs it, so a cold start does not evaluate it.
  async scheduled(controller, env, ctx) {
    const { runScheduled } = await import('./scheduled');
    return runScheduled(controller, env, ctx);
  },
  async queue(batch, env, ctx) {
    const { runQueue } = await import('./queue');
    return runQueue(batch, env, ctx);
  },
} satisfies ExportedHandler<AppEnv['Bindings'], JobMessage>;

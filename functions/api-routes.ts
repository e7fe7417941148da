// The JSON API under /api, in the order its routes are matched. Loaded on first use (functions/lazy-routes.ts): a
// reader's page never needs it, and its schemas and route definitions were most of the Worker's start-up.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/env';
import { recoveryApi } from './auth/recovery';
import { authApi } from './auth/routes';
import { commentsApi } from './comments/api';
import { exportApi } from './export/api';
import { mediaApi } from './media/api';
import { legacyPostRoutes } from './posts/legacy';
import { postsApi } from './posts/api';
import { previewApi } from './posts/preview';
import { revisionsApi } from './posts/revisions';
import { viewsApi } from './posts/views';
import { reactionsApi } from './reactions/api';
import { settingsApi } from './settings/api';
import { pagesApi } from './static-pages/api';
import { subscribersApi } from './subscribers/api';
import { tagsApi } from './tags/api';
import { usersApi } from './users/api';
import { webhooksApi } from './webhooks/api';

export const apiRoutes = new OpenAPIHono<AppEnv>();
apiRoutes.route('/', authApi);
apiRoutes.route('/', recoveryApi);
apiRoutes.route('/', usersApi);
// Before the current post routes: an old slug address is redirected before it could be read as an id.
apiRoutes.route('/', legacyPostRoutes);
apiRoutes.route('/', postsApi);
apiRoutes.route('/', revisionsApi);
apiRoutes.route('/', pagesApi);
apiRoutes.route('/', previewApi);
apiRoutes.route('/', viewsApi);
apiRoutes.route('/', tagsApi);
apiRoutes.route('/', commentsApi);
apiRoutes.route('/', reactionsApi);
apiRoutes.route('/', mediaApi);
apiRoutes.route('/', exportApi);
apiRoutes.route('/', settingsApi);
apiRoutes.route('/', webhooksApi);
apiRoutes.route('/', subscribersApi);

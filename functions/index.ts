// The Worker: composes the app from one sub-app per resource and exports the fetch and cron handlers.
import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { timing } from 'hono/timing';
import type { AppEnv } from '../lib/env';
import { AppError } from '../lib/errors';
import { handleError, handleNotFound } from './errors';
import { feeds } from './feeds';
import { health } from './health';
import { initRequest } from './middleware';
import { pages } from './pages';
import { authApi } from './auth/routes';
import { authenticate } from './auth/middleware';
import { postsApi } from './posts/api';
import { previewApi } from './posts/preview';
import { tagsApi } from './tags/api';
import { usersApi } from './users/api';
import { runScheduled } from './scheduled';

const app = new OpenAPIHono<AppEnv>();

app.use(requestId());
app.use(timing({ totalDescription: 'total' }));
const csp = {
  defaultSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  imgSrc: ["'self'", 'https:', 'data:'],
};
const siteHeaders = secureHeaders({ contentSecurityPolicy: csp });
// The interactive docs page loads Swagger UI from a CDN, so it alone gets a wider policy.
const swaggerCdn = 'https://cdn.jsdelivr.net';
const docsHeaders = secureHeaders({
  contentSecurityPolicy: { ...csp, scriptSrc: ["'self'", "'unsafe-inline'", swaggerCdn], styleSrc: ["'self'", "'unsafe-inline'", swaggerCdn] },
});
app.use((c, next) => (c.req.path === '/docs' ? docsHeaders(c, next) : siteHeaders(c, next)));
app.onError(handleError);
app.notFound(handleNotFound);
app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'lembas API' }));

// JSON is refused before it is parsed when it cannot hold a valid document (200 KB of markdown, escaped).
const MAX_API_BODY_BYTES = 1024 * 1024;
app.use(
  '/api/*',
  bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `Request bodies are limited to ${MAX_API_BODY_BYTES / 1024} KB.`);
    },
  }),
);
app.use(initRequest());
// Signing in and refreshing are how a client recovers from an expired access token, which it may still send.
const tokenlessRoutes = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout']);
const authenticateRequest = authenticate();
app.use('/api/*', (c, next) => (tokenlessRoutes.has(c.req.path) ? next() : authenticateRequest(c, next)));
app.route('/', health);
app.route('/', authApi);
app.route('/', usersApi);
app.route('/', postsApi);
app.route('/', previewApi);
app.route('/', tagsApi);
app.route('/', feeds);
app.route('/', pages);

app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'The accessToken from POST /api/auth/login.',
});
app.doc31('/openapi.json', (c) => ({
  openapi: '3.1.0',
  info: { title: 'lembas API', version: '1.0.0', description: 'Posts, tags, authors, comments and users.' },
  servers: [{ url: new URL(c.req.url).origin }],
}));

export default {
  fetch: app.fetch,
  scheduled: runScheduled,
} satisfies ExportedHandler<AppEnv['Bindings']>;

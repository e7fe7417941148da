// The Worker: composes the app from one sub-app per resource and exports the fetch and cron handlers.
import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { timing } from 'hono/timing';
import type { AppEnv } from '../lib/env';
import { handleError, handleNotFound } from './errors';
import { health } from './health';
import { initRequest } from './middleware';
import { pages } from './pages';
import { authApi } from './auth/routes';
import { authenticate } from './auth/middleware';
import { postsApi } from './posts/api';
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

app.use(initRequest());
app.use('/api/*', authenticate());
app.route('/', health);
app.route('/', authApi);
app.route('/', usersApi);
app.route('/', postsApi);
app.route('/', pages);

app.doc31('/openapi.json', (c) => ({
  openapi: '3.1.0',
  info: { title: 'lembas API', version: '1.0.0', description: 'Posts, tags, authors, comments and users.' },
  servers: [{ url: new URL(c.req.url).origin }],
}));

export default {
  fetch: app.fetch,
  scheduled: runScheduled,
} satisfies ExportedHandler<AppEnv['Bindings']>;

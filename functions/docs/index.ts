// GET /docs: Swagger UI from our own static files (public/static/swagger-ui/, copied from swagger-ui-dist), so the
// docs work with no network and the page needs no exception in the Content-Security-Policy: no CDN, no inline script.
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';

const SWAGGER_DIR = '/static/swagger-ui';

export const docs = new Hono<AppEnv>().get(
  '/docs',
  swaggerUI({
    title: 'lembas API',
    url: '/openapi.json',
    // The library's own markup starts Swagger UI from an inline script, which our CSP refuses: start it from a
    // static file instead (public/static/docs.js reads the spec address from the data attribute).
    manuallySwaggerUIHtml: () => `
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="${SWAGGER_DIR}/swagger-ui.css" />
      <main id="swagger-ui" data-spec-url="/openapi.json"></main>
      <script src="${SWAGGER_DIR}/swagger-ui-bundle.js"></script>
      <script src="/static/docs.js"></script>`,
  }),
);

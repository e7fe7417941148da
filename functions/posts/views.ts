// POST /api/posts/by-slug/{slug}/views: the view beacon (public/static/views.js). Post pages are served from the edge
// cache without the Worker, so a view is counted when the reader's browser says so, not when the page is rendered.
import { createRoute } from '@hono/zod-openapi';
import { recordView } from '../../lib/views';
import { SlugParams } from '../../lib/schemas/common';
import { clientInfo } from '../auth/client';
import { createApi, problemResponse } from '../openapi';

const recordPostView = createRoute({
  method: 'post',
  path: '/api/posts/by-slug/{slug}/views',
  operationId: 'recordPostView',
  tags: ['posts'],
  summary: 'Count a view of a post (the page sends it)',
  description:
    'Counted at most once an hour per visitor and post; crawlers and tools that name themselves are not counted. ' +
    'The count reaches the post (`views`) when the cron next moves the counts into the database.',
  request: { params: SlugParams },
  responses: {
    204: { description: 'Received (counted or not)' },
    422: problemResponse('Invalid slug'),
  },
});

export const viewsApi = createApi().openapi(recordPostView, async (c) => {
  const { ip, userAgent } = clientInfo(c);
  await recordView(c.get('deps'), c.req.valid('param').slug, { ip, userAgent });
  return c.body(null, 204);
});

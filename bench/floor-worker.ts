// The floor of a cold start: a Worker bundling only what every route of lembas is built on (hono, @hono/zod-openapi
// and zod) with one route, so that the bench can hold the Worker's module evaluation to a multiple of it, measured in
// the same run on the same machine.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';

const Post = z.object({ slug: z.string().min(1), title: z.string() }).openapi('Post');

export default new OpenAPIHono().openapi(
  createRoute({
    method: 'get',
    path: '/posts/{slug}',
    request: { params: z.object({ slug: z.string().min(1) }) },
    responses: { 200: { content: { 'application/json': { schema: Post } }, description: 'A post' } },
  }),
  (c) => c.json({ slug: c.req.valid('param').slug, title: 'A post' }, 200),
);

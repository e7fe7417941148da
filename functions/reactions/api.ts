// /api/posts/{slug}/reactions/{kind}: a signed-in reader turns one kind of reaction on (PUT) or off (DELETE).
// Both are idempotent, so a retried or doubled request cannot double-count.
import { createRoute } from '@hono/zod-openapi';
import { setReaction } from '../../lib/reactions';
import { ReactionParams, ReactionState } from '../../lib/schemas/comment';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, createApi, jsonResponse, problemResponse } from '../openapi';

function reactionRoute(method: 'put' | 'delete') {
  return createRoute({
    method,
    path: '/api/posts/{slug}/reactions/{kind}',
    tags: ['reactions'],
    summary: method === 'put' ? 'React to a published post (idempotent)' : 'Take your reaction back (idempotent)',
    security: bearerAuth,
    middleware: [requireRole('reader')] as const,
    request: { params: ReactionParams },
    responses: {
      200: jsonResponse(ReactionState, 'Your reaction and the post’s counts after the change'),
      401: problemResponse('No valid access token'),
      404: problemResponse('No published post has this slug'),
      422: problemResponse('Invalid slug, or not one of like, insightful, celebrate'),
    },
  });
}

export const reactionsApi = createApi()
  .openapi(reactionRoute('put'), async (c) => {
    const { slug, kind } = c.req.valid('param');
    return c.json(await setReaction(c.var.deps, signedInUser(c), slug, kind, true), 200);
  })
  .openapi(reactionRoute('delete'), async (c) => {
    const { slug, kind } = c.req.valid('param');
    return c.json(await setReaction(c.var.deps, signedInUser(c), slug, kind, false), 200);
  });

// /api/posts/{id}/reactions/{kind}: a signed-in reader turns one kind of reaction on (PUT) or off (DELETE).
// Both are idempotent, so a retried or doubled request cannot double-count.
import { createRoute } from '@hono/zod-openapi';
import { setReaction } from '../../lib/reactions';
import { PostReactionParams, ReactionState } from '../../lib/schemas/comment';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, createApi, jsonResponse, problemResponse } from '../openapi';

function reactionRoute(method: 'put' | 'delete') {
  return createRoute({
    method,
    path: '/api/posts/{id}/reactions/{kind}',
    operationId: method === 'put' ? 'addReaction' : 'removeReaction',
    tags: ['reactions'],
    summary: method === 'put' ? 'React to a published post (idempotent)' : 'Take your reaction back (idempotent)',
    description:
      'One reaction of each kind per reader and post; sending it twice changes nothing. The answer carries the ' +
      'post’s counts after the change.',
    security: bearerAuth,
    middleware: [requireRole('reader')] as const,
    request: { params: PostReactionParams },
    responses: {
      200: jsonResponse(ReactionState, 'Your reaction and the post’s counts after the change'),
      401: problemResponse('No valid access token'),
      404: problemResponse('No published post has this id'),
      422: problemResponse('Invalid id, or not one of like, insightful, celebrate'),
    },
  });
}

export const reactionsApi = createApi()
  .openapi(reactionRoute('put'), async (c) => {
    const { id, kind } = c.req.valid('param');
    return c.json(await setReaction(c.var.deps, signedInUser(c), { id }, kind, true), 200);
  })
  .openapi(reactionRoute('delete'), async (c) => {
    const { id, kind } = c.req.valid('param');
    return c.json(await setReaction(c.var.deps, signedInUser(c), { id }, kind, false), 200);
  });

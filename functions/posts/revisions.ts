// /api/posts/{id}/revisions: what each save of a post or page kept, and restoring one of them.
import { createRoute } from '@hono/zod-openapi';
import { listPostRevisions, readPostRevision, restorePostRevision } from '../../lib/revisions';
import { IdParams } from '../../lib/schemas/common';
import { Post } from '../../lib/schemas/post';
import { RestoreRevisionBody, Revision, RevisionList, RevisionParams } from '../../lib/schemas/revision';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';

const listRevisionsRoute = createRoute({
  operationId: 'listPostRevisions',
  method: 'get',
  path: '/api/posts/{id}/revisions',
  tags: ['revisions'],
  summary: "A post's or page's revisions, newest first",
  description:
    "Every manual save and restore, and the last autosave of each ten-minute window; at most 100 per post. For the post's author and editors (pages: editors).",
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { params: IdParams },
  responses: {
    200: jsonResponse(RevisionList, 'The revisions, without their text'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the author role'),
    404: problemResponse('No such post, or not yours'),
    422: problemResponse('Invalid id'),
  },
});

const getRevisionRoute = createRoute({
  operationId: 'getPostRevision',
  method: 'get',
  path: '/api/posts/{id}/revisions/{revisionId}',
  tags: ['revisions'],
  summary: 'One revision with its text',
  description: 'The title, markdown and excerpt as that save kept them.',
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { params: RevisionParams },
  responses: {
    200: jsonResponse(Revision, 'The revision'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the author role'),
    404: problemResponse('No such post or revision'),
    422: problemResponse('Invalid id'),
  },
});

const restoreRevisionRoute = createRoute({
  operationId: 'restorePostRevision',
  method: 'post',
  path: '/api/posts/{id}/revisions/{revisionId}/restore',
  tags: ['revisions'],
  summary: "Make a revision's text the current one",
  description:
    "Saves the revision's title, markdown and excerpt as a new version (status, slug and tags stay), which keeps a revision of its own. Send the `version` you are looking at: a stale one is refused with 409.",
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { params: RevisionParams, body: jsonBody(RestoreRevisionBody) },
  responses: {
    200: jsonResponse(Post, 'The post with the restored text'),
    400: problemResponse('Malformed JSON'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the author role'),
    404: problemResponse('No such post or revision'),
    409: problemResponse('Stale version'),
    422: problemResponse('Invalid body'),
  },
});

export const revisionsApi = createApi()
  .openapi(listRevisionsRoute, async (c) => {
    const items = await listPostRevisions(c.var.deps, signedInUser(c), c.req.valid('param').id);
    c.header('Cache-Control', 'private, no-store');
    return c.json({ items }, 200);
  })
  .openapi(getRevisionRoute, async (c) => {
    const { id, revisionId } = c.req.valid('param');
    const revision = await readPostRevision(c.var.deps, signedInUser(c), id, revisionId);
    c.header('Cache-Control', 'private, no-store');
    return c.json(revision, 200);
  })
  .openapi(restoreRevisionRoute, async (c) => {
    const { id, revisionId } = c.req.valid('param');
    const post = await restorePostRevision(c.var.deps, signedInUser(c), id, revisionId, c.req.valid('json').version);
    return c.json(post, 200);
  });

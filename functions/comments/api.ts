// /api/posts/{id}/comments and /api/comments/{id}: the thread, writing, editing, deleting and moderating.
import { createRoute } from '@hono/zod-openapi';
import { createComment, deleteComment, editComment, moderateComment, readThread } from '../../lib/comments';
import { AppError } from '../../lib/errors';
import {
  CommentPage,
  CreateCommentBody,
  ListCommentsQuery,
  SavedComment,
  UpdateCommentBody,
} from '../../lib/schemas/comment';
import { IdParams } from '../../lib/schemas/common';
import { clientInfo } from '../auth/client';
import { requireRole, signedInUser } from '../auth/middleware';
import {
  bearerAuth,
  bodyErrors,
  createApi,
  jsonBody,
  jsonResponse,
  problemResponse,
  rateLimited,
  rateLimitErrors,
} from '../openapi';

const signedInErrors = {
  401: problemResponse('No valid access token'),
};

const listComments = createRoute({
  method: 'get',
  path: '/api/posts/{id}/comments',
  operationId: 'listComments',
  tags: ['comments'],
  summary: "A page of a post's comments, oldest first, replies nested under their parent",
  description:
    'Top-level comments a page at a time (`cursor` from the previous page), each with its replies, and the ' +
    'visible total. Removed comments with visible replies stay as empty placeholders.',
  request: { params: IdParams, query: ListCommentsQuery },
  responses: {
    200: jsonResponse(CommentPage, 'A page of the thread'),
    400: problemResponse('The cursor is not valid'),
    404: problemResponse('No published post has this id'),
    422: problemResponse('Invalid id or query'),
  },
});

const postComment = createRoute({
  method: 'post',
  path: '/api/posts/{id}/comments',
  operationId: 'createComment',
  tags: ['comments'],
  summary: 'Comment on a published post, or reply to a top-level comment (signed-in readers)',
  description:
    'Markdown, rendered and sanitized when saved. One comment per reader per 15 seconds, 30 per reader an hour ' +
    'and 20 per address per 10 minutes; the same text twice on one post within a day is refused.',
  security: bearerAuth,
  middleware: [requireRole('reader')] as const,
  request: { params: IdParams, body: jsonBody(CreateCommentBody) },
  responses: {
    201: rateLimited(jsonResponse(SavedComment, 'The comment as saved')),
    ...bodyErrors,
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    ...signedInErrors,
    403: problemResponse('Comments are closed (the comments setting)'),
    404: problemResponse('No published post has this id'),
    409: problemResponse('The same comment was already posted here'),
    413: problemResponse('Body too large'),
    422: problemResponse('Empty or oversized (5,000 characters) comment, or a parent that cannot be replied to'),
    ...rateLimitErrors('Commenting too fast or too much; see Retry-After and RateLimit'),
  },
});

const patchComment = createRoute({
  method: 'patch',
  path: '/api/comments/{id}',
  operationId: 'updateComment',
  tags: ['comments'],
  summary: 'Edit your own comment within 15 minutes of posting it',
  description: 'The new markdown replaces the old; `editedAt` records when.',
  security: bearerAuth,
  middleware: [requireRole('reader')] as const,
  request: { params: IdParams, body: jsonBody(UpdateCommentBody) },
  responses: {
    200: jsonResponse(SavedComment, 'The comment as saved'),
    ...bodyErrors,
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    ...signedInErrors,
    403: problemResponse('Not your comment, hidden, or the edit window has passed'),
    404: problemResponse('No such comment'),
    413: problemResponse('Body too large'),
  },
});

const removeComment = createRoute({
  method: 'delete',
  path: '/api/comments/{id}',
  operationId: 'deleteComment',
  tags: ['comments'],
  summary: 'Delete your own comment within 15 minutes, or any comment as an editor',
  description: 'A comment with visible replies stays as an empty placeholder, so the replies keep their place.',
  security: bearerAuth,
  middleware: [requireRole('reader')] as const,
  request: { params: IdParams },
  responses: {
    204: { description: 'Deleted' },
    ...signedInErrors,
    403: problemResponse('Not your comment, or the window has passed'),
    404: problemResponse('No such comment'),
    422: problemResponse('Invalid id'),
  },
});

function moderationRoute(action: 'hide' | 'restore') {
  return createRoute({
    method: 'post',
    path: `/api/comments/{id}/${action}`,
    operationId: action === 'hide' ? 'hideComment' : 'restoreComment',
    tags: ['comments'],
    summary: action === 'hide' ? 'Hide a comment from readers (editors)' : 'Show a hidden comment again (editors)',
    description:
      action === 'hide'
        ? 'Readers no longer see it (a placeholder if it has visible replies); its author still exists.'
        : 'Readers see the comment again as it was.',
    security: bearerAuth,
    middleware: [requireRole('editor')] as const,
    request: { params: IdParams },
    responses: {
      200: jsonResponse(SavedComment, 'The comment after the change'),
      ...signedInErrors,
      403: problemResponse('Needs the editor role'),
      404: problemResponse('No such comment'),
      422: problemResponse('Invalid id'),
    },
  });
}

export const commentsApi = createApi()
  .openapi(listComments, async (c) => {
    const { id } = c.req.valid('param');
    const { value, status } = await readThread(c.var.deps, id, c.req.valid('query'));
    if (!value) throw new AppError('not_found', `No published post has the id ${id}.`);
    c.header('X-Cache', status);
    return c.json(value, 200);
  })
  .openapi(postComment, async (c) => {
    const { id } = c.req.valid('param');
    const comment = await createComment(c.var.deps, signedInUser(c), { id }, c.req.valid('json'), clientInfo(c).ip);
    c.header('Location', `/api/comments/${comment.id}`);
    return c.json(comment, 201);
  })
  .openapi(patchComment, async (c) => {
    const comment = await editComment(c.var.deps, signedInUser(c), c.req.valid('param').id, c.req.valid('json').body);
    return c.json(comment, 200);
  })
  .openapi(removeComment, async (c) => {
    await deleteComment(c.var.deps, signedInUser(c), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(moderationRoute('hide'), async (c) => {
    return c.json(await moderateComment(c.var.deps, signedInUser(c), c.req.valid('param').id, 'hidden'), 200);
  })
  .openapi(moderationRoute('restore'), async (c) => {
    return c.json(await moderateComment(c.var.deps, signedInUser(c), c.req.valid('param').id, 'published'), 200);
  });

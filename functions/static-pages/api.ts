// /api/pages: static pages (About, Contact…), written by editors; served at `/{slug}` (functions/pages/static-page).
import { createRoute } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors';
import { createPage, deletePage, listPages, readPage, updatePage } from '../../lib/pages/pages';
import { IdParams } from '../../lib/schemas/common';
import { CreatePageBody, ListPagesQuery, Page, PageList, UpdatePageBody } from '../../lib/schemas/page';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';

const listPagesRoute = createRoute({
  operationId: 'listPages',
  method: 'get',
  path: '/api/pages',
  tags: ['pages'],
  summary: 'List pages',
  description: 'Published pages by title. `status=all` also lists drafts and scheduled pages (editors).',
  request: { query: ListPagesQuery },
  responses: {
    200: jsonResponse(PageList, 'The pages'),
    401: problemResponse('Unpublished pages need a token'),
    403: problemResponse('Unpublished pages need the editor role'),
    422: problemResponse('Invalid query'),
  },
});

const getPageRoute = createRoute({
  operationId: 'getPage',
  method: 'get',
  path: '/api/pages/{id}',
  tags: ['pages'],
  summary: 'Read one page',
  description: 'Published pages for everyone; drafts and scheduled pages for editors.',
  request: { params: IdParams },
  responses: {
    200: jsonResponse(Page, 'The page'),
    404: problemResponse('No such page'),
    422: problemResponse('Invalid id'),
  },
});

const createPageRoute = createRoute({
  operationId: 'createPage',
  method: 'post',
  path: '/api/pages',
  tags: ['pages'],
  summary: 'Write a page (editor role or higher)',
  description:
    "The page is served at `/{slug}`. A slug one of the site's own addresses uses is refused with 422 naming `slug`.",
  security: bearerAuth,
  middleware: [requireRole('editor')] as const,
  request: { body: jsonBody(CreatePageBody) },
  responses: {
    201: jsonResponse(Page, 'The saved page'),
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the editor role'),
    409: problemResponse('The slug is taken (by a post or a page)'),
    413: problemResponse('Body too large'),
    422: problemResponse('Invalid body, or a reserved slug'),
  },
});

const updatePageRoute = createRoute({
  operationId: 'updatePage',
  method: 'patch',
  path: '/api/pages/{id}',
  tags: ['pages'],
  summary: 'Edit a page (editor role or higher)',
  description: 'Send the `version` you edited. If someone saved since, the answer is 409 with `currentVersion`.',
  security: bearerAuth,
  middleware: [requireRole('editor')] as const,
  request: { params: IdParams, body: jsonBody(UpdatePageBody) },
  responses: {
    200: jsonResponse(Page, 'The saved page'),
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the editor role'),
    404: problemResponse('No such page'),
    409: problemResponse('Stale version or slug taken'),
    413: problemResponse('Body too large'),
    422: problemResponse('Invalid body, or a reserved slug'),
  },
});

const deletePageRoute = createRoute({
  operationId: 'deletePage',
  method: 'delete',
  path: '/api/pages/{id}',
  tags: ['pages'],
  summary: 'Delete a page (editor role or higher)',
  description: 'Deletes the page and its revisions.',
  security: bearerAuth,
  middleware: [requireRole('editor')] as const,
  request: { params: IdParams },
  responses: {
    204: { description: 'Deleted' },
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the editor role'),
    404: problemResponse('No such page'),
    422: problemResponse('Invalid id'),
  },
});

export const pagesApi = createApi()
  .openapi(listPagesRoute, async (c) => {
    const { status } = c.req.valid('query');
    const items = await listPages(c.var.deps, c.var.user, status === 'all');
    c.header('Cache-Control', 'private, no-store');
    return c.json({ items }, 200);
  })
  .openapi(getPageRoute, async (c) => {
    const { id } = c.req.valid('param');
    const page = await readPage(c.var.deps, id, c.var.user);
    if (!page) throw new AppError('not_found', `There is no page with id ${id}.`);
    c.header('Cache-Control', 'private, no-store');
    return c.json(page, 200);
  })
  .openapi(createPageRoute, async (c) => {
    const page = await createPage(c.var.deps, signedInUser(c), c.req.valid('json'));
    c.header('Location', `/api/pages/${page.id}`);
    return c.json(page, 201);
  })
  .openapi(updatePageRoute, async (c) => {
    const page = await updatePage(c.var.deps, signedInUser(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(page, 200);
  })
  .openapi(deletePageRoute, async (c) => {
    await deletePage(c.var.deps, signedInUser(c), c.req.valid('param').id);
    return c.body(null, 204);
  });

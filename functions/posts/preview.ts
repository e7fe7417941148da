// POST /api/markdown/preview: renders markdown exactly as saving a post would, for the editor's preview pane.
import { createRoute } from '@hono/zod-openapi';
import { renderMarkdown } from '../../lib/markdown';
import { MarkdownPreview, MarkdownPreviewBody } from '../../lib/schemas/post';
import { requireRole } from '../auth/middleware';
import { bearerAuth, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';

const preview = createRoute({
  method: 'post',
  path: '/api/markdown/preview',
  operationId: 'previewMarkdown',
  tags: ['posts'],
  summary: 'Render markdown as a save would (authors)',
  description: 'The sanitized HTML, table of contents, excerpt and reading time a post with this body would get.',
  security: bearerAuth,
  // Rendering costs CPU; only writers need it.
  middleware: [requireRole('author')] as const,
  request: { body: jsonBody(MarkdownPreviewBody) },
  responses: {
    200: jsonResponse(MarkdownPreview, 'Rendered'),
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the author role'),
    422: problemResponse('Invalid body'),
  },
});

export const previewApi = createApi().openapi(preview, async (c) =>
  c.json(await renderMarkdown(c.req.valid('json').markdown), 200),
);

// GET /api/export: every post as a markdown file with front matter, in a zip (admins). `npm run import` reads it.
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth/middleware';
import { bearerAuth, createApi, problemResponse } from '../openapi';

const EXPORT_CONTENT_TYPE = 'application/zip';

const exportRoute = createRoute({
  method: 'get',
  path: '/api/export',
  operationId: 'exportPosts',
  tags: ['export'],
  summary: 'Download every post as markdown files in a zip (admins)',
  description:
    'One `posts/<slug>.md` per post, drafts included, with YAML front matter (title, slug, date, author, tags, ' +
    'draft) as Hexo and Jekyll write it. `npm run import -- export.zip` reads it back; the same posts always give ' +
    'the same bytes.',
  security: bearerAuth,
  middleware: [requireRole('admin')] as const,
  responses: {
    200: {
      description: 'The archive',
      content: { [EXPORT_CONTENT_TYPE]: { schema: z.string().openapi({ type: 'string', format: 'binary' }) } },
    },
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the admin role'),
  },
});

export const exportApi = createApi().openapi(exportRoute, async (c) => {
  // Loaded on first export: fflate builds its Huffman tables and yaml its schemas when evaluated, start-up CPU
  // that every isolate paid for a route an admin calls now and then.
  const { exportBlog } = await import('../../lib/export');
  const day = new Date().toISOString().slice(0, 10);
  return c.body(exportBlog(c.var.deps.sql), 200, {
    'Content-Type': EXPORT_CONTENT_TYPE,
    'Content-Disposition': `attachment; filename="lembas-export-${day}.zip"`,
    // Drafts are in it: no shared cache may keep a copy.
    'Cache-Control': 'private, no-store',
  });
});

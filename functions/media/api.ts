// /api/media: image uploads for writers (multipart, a 5 MB cap). The images are served by ./files.ts.
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { MAX_IMAGE_BYTES } from '../../lib/images';
import { uploadImage } from '../../lib/media';
import { Media, MediaUploadForm } from '../../lib/schemas/media';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, createApi, jsonResponse, problemResponse } from '../openapi';

/** Room for the multipart envelope around a file of the largest allowed size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

// The API's general body cap (1 MB) skips this route (index.ts); this one is checked before the form is parsed.
function uploadLimit() {
  return bodyLimit({
    maxSize: MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
    },
  });
}

const uploadRoute = createRoute({
  method: 'post',
  path: '/api/media',
  operationId: 'uploadMedia',
  tags: ['media'],
  summary: 'Upload an image (author role or higher)',
  description:
    'Multipart form with one `file`. The type is decided by the bytes (JPEG, PNG, WebP or GIF), never by the ' +
    'name. The same bytes always get the same URL; uploading them again answers 200 instead of 201.',
  security: bearerAuth,
  middleware: [requireRole('author'), uploadLimit()] as const,
  request: { body: { required: true, content: { 'multipart/form-data': { schema: MediaUploadForm } } } },
  responses: {
    200: jsonResponse(Media, 'This image was already stored'),
    201: jsonResponse(Media, 'The stored image'),
    400: problemResponse('The body is not a multipart form'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the author role'),
    413: problemResponse('Larger than 5 MB'),
    415: problemResponse('Not a JPEG, PNG, WebP or GIF image'),
    422: problemResponse('No file, or an empty one'),
    503: problemResponse('No image storage is configured'),
  },
});

export const mediaApi = createApi().openapi(uploadRoute, async (c) => {
  const { file } = c.req.valid('form');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { media, created } = await uploadImage(c.var.deps, signedInUser(c), { bytes, name: file.name });
  if (created) c.header('Location', media.url);
  return c.json(media, created ? 201 : 200);
});

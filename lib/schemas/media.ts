// Image upload shapes: the multipart form an editor sends and what the API answers.
import { z } from '@hono/zod-openapi';
import { IMAGE_TYPES } from '../images';

export const MediaUploadForm = z
  .object({
    file: z
      .instanceof(File, { message: 'must be a file' })
      .openapi({ type: 'string', format: 'binary', description: 'JPEG, PNG, WebP or GIF, at most 5 MB.' }),
  })
  .openapi('MediaUpload');

export const Media = z
  .object({
    key: z.string().openapi({ description: 'SHA-256 of the bytes plus the extension of the detected type.' }),
    url: z.string().openapi({ example: '/media/3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b.png' }),
    contentType: z.enum(IMAGE_TYPES as [string, ...string[]]),
    size: z.number().int(),
    markdown: z.string().openapi({ description: 'Markdown that shows the image, ready to paste into a post.' }),
  })
  .openapi('Media');
export type Media = z.infer<typeof Media>;

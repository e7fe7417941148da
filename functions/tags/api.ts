// /api/tags: tags with post counts for everyone; create, rename and delete for editors.
import { createRoute } from '@hono/zod-openapi';
import { cacheKeys } from '../../lib/cache-keys';
import { SlugParams } from '../../lib/schemas/common';
import { CreateTagBody, Tag, TagList, UpdateTagBody } from '../../lib/schemas/tag';
import { createTag, deleteTag, loadPublicTags, readTag, updateTag } from '../../lib/tags';
import { requireRole } from '../auth/middleware';
import { cachedJson } from '../cached-response';
import { bearerAuth, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';

const editorOnly = { security: bearerAuth, middleware: requireRole('editor') };
const writeErrors = {
  400: problemResponse('Malformed JSON'),
  401: problemResponse('No valid token'),
  403: problemResponse('Needs the editor role'),
  422: problemResponse('Invalid body'),
};

export const tagsApi = createApi()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/tags',
      operationId: 'listTags',
      tags: ['tags'],
      summary: 'All tags with published post counts',
      description: 'Tags carried by published posts (or by none yet), the most used first, with their counts.',
      responses: { 200: jsonResponse(TagList, 'Tags') },
    }),
    async (c) => {
      const tags = await cachedJson(c, cacheKeys.response('api-tags'), async () => ({
        items: await loadPublicTags(c.get('deps')),
      }));
      return tags!; // never null: the load always has a list
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/tags/{slug}',
      operationId: 'getTag',
      tags: ['tags'],
      summary: 'One tag; its posts are at /api/posts?tag={slug}',
      description: 'A tag is addressed by its slug, which is unique.',
      request: { params: SlugParams },
      responses: {
        200: jsonResponse(Tag, 'The tag'),
        404: problemResponse('No such tag'),
        422: problemResponse('Invalid slug'),
      },
    }),
    async (c) => c.json(await readTag(c.get('deps'), c.req.valid('param').slug), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/tags',
      operationId: 'createTag',
      tags: ['tags'],
      summary: 'Create a tag (editors)',
      description: 'Tags are also created by writing a post with a new tag name.',
      ...editorOnly,
      request: { body: jsonBody(CreateTagBody) },
      responses: { 201: jsonResponse(Tag, 'Created'), 409: problemResponse('Slug taken'), ...writeErrors },
    }),
    async (c) => c.json(await createTag(c.get('deps'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/tags/{slug}',
      operationId: 'updateTag',
      tags: ['tags'],
      summary: 'Rename or describe a tag (editors)',
      description: 'Send only the fields to change. A new slug moves the tag’s address.',
      ...editorOnly,
      request: { params: SlugParams, body: jsonBody(UpdateTagBody) },
      responses: {
        200: jsonResponse(Tag, 'Updated'),
        404: problemResponse('No such tag'),
        409: problemResponse('Slug taken'),
        ...writeErrors,
      },
    }),
    async (c) => c.json(await updateTag(c.get('deps'), c.req.valid('param').slug, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/tags/{slug}',
      operationId: 'deleteTag',
      tags: ['tags'],
      summary: 'Delete a tag; its posts stay, untagged (editors)',
      description: 'The tag leaves every post that carried it; the posts themselves are unchanged.',
      ...editorOnly,
      request: { params: SlugParams },
      responses: {
        204: { description: 'Deleted' },
        401: writeErrors[401],
        403: writeErrors[403],
        404: problemResponse('No such tag'),
        422: problemResponse('Invalid slug'),
      },
    }),
    async (c) => {
      await deleteTag(c.get('deps'), c.req.valid('param').slug);
      return c.body(null, 204);
    },
  );

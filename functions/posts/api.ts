// /api/posts: list, search, read, write and delete posts. Reads go through the cache; writes invalidate it.
import { createRoute, z } from '@hono/zod-openapi';
import { cacheKeys } from '../../lib/cache-keys';
import { AppError } from '../../lib/errors';
import {
  createPost,
  deletePost,
  loadPublishedPost,
  loadPublishedPostPage,
  loadRelatedPosts,
  readUnpublishedPost,
  searchPosts,
  updatePost,
} from '../../lib/posts';
import { IdParams, SlugParams } from '../../lib/schemas/common';
import {
  CreatePostBody,
  Post,
  PostSummary,
  type PostPage,
  SearchPostsQuery,
  TrimmedPostPage,
  UpdatePostBody,
} from '../../lib/schemas/post';
import { requireRole, signedInUser } from '../auth/middleware';
import { cachedJson } from '../cached-response';
import { bearerAuth, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';
import { pickFields } from './fields';

const listPosts = createRoute({
  method: 'get',
  path: '/api/posts',
  tags: ['posts'],
  summary: 'List or search posts',
  description: 'Published posts newest first (or ranked by `q`). Drafts and scheduled posts need a token.',
  request: { query: SearchPostsQuery },
  responses: {
    200: jsonResponse(TrimmedPostPage, 'A page of posts'),
    400: problemResponse('The cursor is not valid'),
    401: problemResponse('Unpublished posts need a token'),
    403: problemResponse('Unpublished posts need the author role'),
    422: problemResponse('Invalid query'),
  },
});

const getPost = createRoute({
  method: 'get',
  path: '/api/posts/{slug}',
  tags: ['posts'],
  summary: 'Read one post',
  description: 'Published posts for everyone; drafts and scheduled posts for their author and editors.',
  request: { params: SlugParams },
  responses: {
    200: jsonResponse(Post, 'The post'),
    404: problemResponse('No such post'),
    422: problemResponse('Invalid slug'),
  },
});

const getRelated = createRoute({
  method: 'get',
  path: '/api/posts/{slug}/related',
  tags: ['posts'],
  summary: 'Published posts sharing the most tags with this one',
  request: { params: SlugParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(PostSummary) }), 'Related posts'),
    404: problemResponse('No such post'),
    422: problemResponse('Invalid slug'),
  },
});

const createPostRoute = createRoute({
  method: 'post',
  path: '/api/posts',
  tags: ['posts'],
  summary: 'Write a post (author role or higher)',
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { body: jsonBody(CreatePostBody) },
  responses: {
    201: jsonResponse(Post, 'The saved post'),
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    401: problemResponse('No valid token'),
    403: problemResponse('Needs the author role'),
    409: problemResponse('The slug is taken'),
    413: problemResponse('Body too large'),
    422: problemResponse('Invalid body'),
  },
});

const updatePostRoute = createRoute({
  method: 'patch',
  path: '/api/posts/{id}',
  tags: ['posts'],
  summary: 'Edit a post (its author, or an editor)',
  description: 'Send the `version` you edited. If someone saved since, the answer is 409 with `currentVersion`.',
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { params: IdParams, body: jsonBody(UpdatePostBody) },
  responses: {
    200: jsonResponse(Post, 'The saved post'),
    400: problemResponse('Malformed JSON or markdown the renderer refused'),
    401: problemResponse('No valid token'),
    403: problemResponse('Not your post'),
    404: problemResponse('No such post'),
    409: problemResponse('Stale version or slug taken'),
    413: problemResponse('Body too large'),
    422: problemResponse('Invalid body'),
  },
});

const deletePostRoute = createRoute({
  method: 'delete',
  path: '/api/posts/{id}',
  tags: ['posts'],
  summary: 'Delete a post (its author, or an editor)',
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { params: IdParams },
  responses: {
    204: { description: 'Deleted' },
    401: problemResponse('No valid token'),
    403: problemResponse('Not your post'),
    404: problemResponse('No such post'),
    422: problemResponse('Invalid id'),
  },
});

export const postsApi = createApi()
  .openapi(listPosts, async (c) => {
    const query = c.req.valid('query');
    const { fields } = query;
    const trim = (page: PostPage) =>
      fields ? { ...page, items: page.items.map((post) => pickFields(post, fields)) } : page;
    // Searches and unpublished lists are per query or per user: straight to the database, never shared.
    if (query.status !== 'published' || query.q) {
      const { value, status } = await searchPosts(c.get('deps'), query, c.var.user);
      c.header('X-Cache', status);
      return c.json(trim(value ?? { items: [], nextCursor: null }), 200);
    }
    const { limit, cursor, tag, author } = query;
    // First pages only: client-supplied cursors must not mint keys.
    const key = cursor
      ? null
      : cacheKeys.response('api-posts', limit, tag ?? '', (author ?? '').toLowerCase(), (fields ?? []).join(','));
    const response = await cachedJson(c, key, async () => trim(await loadPublishedPostPage(c.get('deps'), query)));
    return response!; // never null: the load always has a page
  })
  .openapi(getPost, async (c) => {
    const { slug } = c.req.valid('param');
    const { deps, user } = c.var;
    const published = await cachedJson(c, cacheKeys.postResponse('api-post', slug), () =>
      loadPublishedPost(deps, slug),
    );
    if (published) return published;
    const own = user ? await readUnpublishedPost(deps, slug, user) : null;
    if (!own) throw new AppError('not_found', `No post has the slug "${slug}".`);
    c.header('X-Cache', 'BYPASS');
    c.header('Cache-Control', 'private, no-store');
    return c.json(own, 200);
  })
  .openapi(getRelated, async (c) => {
    const { slug } = c.req.valid('param');
    const related = await cachedJson(c, cacheKeys.response('api-related', slug), async () => {
      const items = await loadRelatedPosts(c.get('deps'), slug);
      return items && { items };
    });
    if (!related) throw new AppError('not_found', `No published post has the slug "${slug}".`);
    return related;
  })
  .openapi(createPostRoute, async (c) => {
    const post = await createPost(c.get('deps'), signedInUser(c), c.req.valid('json'));
    c.header('Location', `/api/posts/${post.slug}`);
    return c.json(post, 201);
  })
  .openapi(updatePostRoute, async (c) => {
    const post = await updatePost(c.get('deps'), signedInUser(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(post, 200);
  })
  .openapi(deletePostRoute, async (c) => {
    await deletePost(c.get('deps'), signedInUser(c), c.req.valid('param').id);
    return c.body(null, 204);
  });

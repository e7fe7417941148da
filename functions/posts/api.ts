// /api/posts: list, search, read, write and delete posts. Reads go through the cache; writes invalidate it.
import { createRoute, z } from '@hono/zod-openapi';
import { cacheKeys } from '../../lib/cache-keys';
import { AppError } from '../../lib/errors';
import { readNewsletterProgress } from '../../lib/newsletter/progress';
import {
  createPost,
  deletePost,
  loadPublishedPost,
  loadPublishedPostPage,
  loadRelatedPosts,
  readPostById,
  readUnpublishedPost,
  searchPosts,
  updatePost,
} from '../../lib/posts';
import { IdParams, SlugParams } from '../../lib/schemas/common';
import { NewsletterSend } from '../../lib/schemas/newsletter';
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
  operationId: 'listPosts',
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

const getPostBySlug = createRoute({
  method: 'get',
  path: '/api/posts/by-slug/{slug}',
  operationId: 'getPostBySlug',
  tags: ['posts'],
  summary: 'Read one post by its slug',
  description:
    'Published posts for everyone, through the cache; drafts and scheduled posts for their author and editors.',
  request: { params: SlugParams },
  responses: {
    200: jsonResponse(Post, 'The post'),
    404: problemResponse('No such post'),
    422: problemResponse('Invalid slug'),
  },
});

const getPost = createRoute({
  method: 'get',
  path: '/api/posts/{id}',
  operationId: 'getPost',
  tags: ['posts'],
  summary: 'Read one post by its id',
  description:
    'Published posts for everyone; drafts and scheduled posts for their author and editors. Read from the ' +
    'database: readers who come by slug use /api/posts/by-slug/{slug}, which is cached.',
  request: { params: IdParams },
  responses: {
    200: jsonResponse(Post, 'The post'),
    404: problemResponse('No such post'),
    422: problemResponse('Invalid id'),
  },
});

const getRelated = createRoute({
  method: 'get',
  path: '/api/posts/{id}/related',
  operationId: 'listRelatedPosts',
  tags: ['posts'],
  summary: 'Published posts sharing the most tags with this one',
  description: 'Up to five, the most shared tags first, then the newest.',
  request: { params: IdParams },
  responses: {
    200: jsonResponse(z.object({ items: z.array(PostSummary) }), 'Related posts'),
    404: problemResponse('No such post'),
    422: problemResponse('Invalid id'),
  },
});

const createPostRoute = createRoute({
  method: 'post',
  path: '/api/posts',
  operationId: 'createPost',
  tags: ['posts'],
  summary: 'Write a post (author role or higher)',
  description:
    'Markdown is rendered and sanitized when saved. Missing tags are created; the slug comes from the title ' +
    'unless given. A scheduled post needs a future `publishedAt` and is published by the cron.',
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
  operationId: 'updatePost',
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
  operationId: 'deletePost',
  tags: ['posts'],
  summary: 'Delete a post (its author, or an editor)',
  description: 'Its comments, reactions and views go with it.',
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

const getNewsletter = createRoute({
  method: 'get',
  path: '/api/posts/{id}/newsletter',
  operationId: 'getPostNewsletter',
  tags: ['posts'],
  summary: "How the post's mail to subscribers is going (its author, or an editor)",
  description:
    'The send is made when the post is first published: queued, then sending (sent and failed count up to ' +
    'recipients), then sent; skipped when the author chose not to email it. 404 before the first publish.',
  security: bearerAuth,
  middleware: [requireRole('author')] as const,
  request: { params: IdParams },
  responses: {
    200: jsonResponse(NewsletterSend, 'The send'),
    401: problemResponse('No valid token'),
    403: problemResponse('Not your post'),
    404: problemResponse('No such post, or not published yet'),
    422: problemResponse('Invalid id'),
  },
});

// By-slug is registered before the {id} routes: `/api/posts/by-slug/x` must never be read as a post id.
export const postsApi = createApi()
  .openapi(getPostBySlug, async (c) => {
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
    const { id } = c.req.valid('param');
    const post = await readPostById(c.var.deps, id, c.var.user);
    if (!post) throw new AppError('not_found', `No post has the id ${id}.`);
    c.header('X-Cache', 'BYPASS');
    if (post.status !== 'published') c.header('Cache-Control', 'private, no-store');
    return c.json(post, 200);
  })
  .openapi(getRelated, async (c) => {
    const { id } = c.req.valid('param');
    // Tagged with posts like every list: any write to posts or tags drops it.
    const related = await cachedJson(c, cacheKeys.response('api-post-related', id), async () => {
      const items = await loadRelatedPosts(c.get('deps'), id);
      return items && { items };
    });
    if (!related) throw new AppError('not_found', `No published post has the id ${id}.`);
    return related;
  })
  .openapi(createPostRoute, async (c) => {
    const post = await createPost(c.get('deps'), signedInUser(c), c.req.valid('json'));
    c.header('Location', `/api/posts/${post.id}`);
    return c.json(post, 201);
  })
  .openapi(updatePostRoute, async (c) => {
    const post = await updatePost(c.get('deps'), signedInUser(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(post, 200);
  })
  .openapi(deletePostRoute, async (c) => {
    await deletePost(c.get('deps'), signedInUser(c), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(getNewsletter, async (c) => {
    const { id } = c.req.valid('param');
    const send = await readNewsletterProgress(c.get('deps'), signedInUser(c), id);
    if (!send) throw new AppError('not_found', `The post ${id} has not been published yet, so it has no send.`);
    c.header('Cache-Control', 'private, no-store');
    return c.json(send, 200);
  });

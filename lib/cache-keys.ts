// The cache's key vocabulary: every key, what it holds and which tag set it joins, so no route ever assembles a key
// string itself. The mechanism (lib/cache.ts) does not import this module: it stores whatever a key describes.
import {
  cachePolicies as policies,
  counterKey,
  defineKey as key,
  defineTag,
  invalidateQuietly,
  responseCodec,
  type CacheContext,
  type CacheKey,
  type StoredResponse,
} from './cache';
import type { FeedScope } from './db/posts';
import type { FeedFormat, XmlDocument } from './feed-documents';
import type { CommentPage } from './schemas/comment';
import type { Post, PostPage, PostSummary } from './schemas/post';
import type { SiteSettings } from './settings/schema';
import type { Tag } from './schemas/tag';
import type { UserProfile } from './schemas/user';

export const cacheKeys = {
  post: (slug: string) => key<Post>(`post:${slug}`, policies.entity),
  // Only first pages are cached: they take the traffic, and cursors (client-supplied) must not mint keys.
  publishedPosts: (limit: number) => key<PostPage>(`posts:published:${limit}:first`, policies.page, 'posts'),
  filteredPosts: (limit: number, tag: string | undefined, author: string | undefined) =>
    key<PostPage>(`posts:filtered:${limit}:${tag ?? ''}:${(author ?? '').toLowerCase()}:first`, policies.page, 'posts'),
  relatedPosts: (slug: string, limit: number) =>
    key<PostSummary[]>(`posts:related:${slug}:${limit}`, policies.page, 'posts'),
  tags: () => key<Tag[]>('tags', policies.page, 'posts'),
  /** Finished feed documents (body, ETag, last change); the site's RSS feed by default. */
  feed: (format: FeedFormat = 'rss', scope: FeedScope = { kind: 'site' }) =>
    key<XmlDocument>(`doc:${format}:${feedScopeKey(scope)}`, policies.page, 'posts'),
  sitemap: () => key<XmlDocument>('doc:sitemap', policies.page, 'posts'),
  /**
   * The first page (default size) of a post's comment thread; null when the post is not published. Every thread is
   * under the `comments` tag, so disabling a user (whose comments must vanish everywhere) drops them all at once.
   */
  commentThread: (postId: number) => key<CommentPage>(`comments:post:${postId}:first`, policies.page, 'comments'),
  /**
   * The site settings, for what no cached page holds: the API, forms, error pages and the comment path. Cached
   * pages embed the settings they were rendered with, and read them in their own database batch on a miss.
   */
  settings: () => key<SiteSettings>('settings', policies.entity),
  /** Also read on every authenticated request, so a disabled user's tokens stop working at once. */
  user: (id: number) => key<UserProfile>(`user:${id}`, policies.entity),
  /**
   * A finished response (a page or an API read) named by its route and the parts that select it, tagged with
   * posts: a list or a feed can change with any write to posts, tags or authors.
   */
  response: (route: string, ...parts: (string | number)[]) =>
    key<StoredResponse>(['res', route, ...parts].join(':'), policies.page, 'posts', responseCodec),
  /**
   * A finished response that shows one post and nothing else (its API read; the page also shows its neighbours,
   * so it is a tagged `response`). Not tagged, so a write to
   * another post leaves it cached; `postEntries` drops it with the post.
   */
  postResponse: (route: PostResponseRoute, slug: string) =>
    key<StoredResponse>(`res:${route}:${slug}`, policies.entity, undefined, responseCodec),
};

const POST_RESPONSE_ROUTES = ['api-post'] as const;
export type PostResponseRoute = (typeof POST_RESPONSE_ROUTES)[number];

/** Every entry that holds this one post: its data, each response showing only it, and its page. */
export function postEntries(slug: string): CacheKey<unknown>[] {
  return [
    cacheKeys.post(slug),
    ...POST_RESPONSE_ROUTES.map((route) => cacheKeys.postResponse(route, slug)),
    // The page also sits under the posts tag (its neighbours move with any post); dropped directly when only this
    // post's own parts change (reactions, views, comments).
    cacheKeys.response('post', slug),
    // Slugs are unique across posts and pages, so the same slug names at most one of these two pages.
    cacheKeys.response('page', slug),
  ];
}

function feedScopeKey(scope: FeedScope): string {
  if (scope.kind === 'tag') return `tag:${scope.slug}`;
  if (scope.kind === 'author') return `author:${scope.username.toLowerCase()}`;
  return 'site';
}

/** Counters kept in Redis (not cache entries: never expired, moved to Postgres by the cron). */
export const counterKeys = {
  pendingViews: (namespace: string) => counterKey(namespace, 'views:pending'),
  flushingViews: (namespace: string) => counterKey(namespace, 'views:flushing'),
  viewsFlushLock: (namespace: string) => counterKey(namespace, 'views:flush-lock'),
};

/** Tags that a change to posts makes stale: every list page and tag count. */
export const cacheTags = { posts: defineTag('posts'), comments: defineTag('comments') };

/** Every entry a change to these posts can make stale: the posts themselves, and every list, tag count and feed. */
export function invalidatePosts(ctx: CacheContext, slugs: string[]): Promise<void> {
  return invalidateQuietly(
    ctx,
    [...new Set(slugs)].flatMap((slug) => postEntries(slug)),
    [cacheTags.posts],
  );
}

/**
 * Every entry a change of the site settings makes stale: the settings themselves, and every finished page, feed
 * and the sitemap, which all embed them (title, navigation, footer, dates) and are all under the posts tag.
 */
export function invalidateSiteSettings(ctx: CacheContext): Promise<void> {
  return invalidateQuietly(ctx, [cacheKeys.settings()], [cacheTags.posts]);
}

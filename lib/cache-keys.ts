// The cache's key vocabulary: every key, what it holds, which tag set it joins and what it shows, so no route ever
// assembles a key string itself. The mechanism (lib/cache.ts) does not import this module: it stores whatever a key
// describes. The same names serve both tiers: Upstash tag sets (`posts`, `comments`) and Workers Cache's Cache-Tags
// (those, plus what an entry shows: `post:<slug>`, `tag:<slug>`, `author:<username>`, `user:<id>`, `site`), so a
// write that drops Upstash entries purges the same names from the edge (lib/cache.ts `invalidate`).
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

/** What each name at the edge stands for; every name a Cache-Tag or a purge uses is built here. */
export const edgeNames = {
  post: (slug: string) => `post:${slug}`,
  tag: (slug: string) => `tag:${slug}`,
  author: (username: string) => `author:${username.toLowerCase()}`,
  user: (id: number) => `user:${id}`,
  /** A post's comment thread (its page, `post:<slug>`, is purged with it). */
  thread: (postId: number) => `thread:${postId}`,
  /** Everything shared shows the site's name and settings, so every shared response carries it. */
  site: 'site',
};

export const cacheKeys = {
  post: (slug: string) => key<Post>(`post:${slug}`, policies.entity, undefined, undefined, edgeNames.post(slug)),
  // Only first pages are cached: they take the traffic, and cursors (client-supplied) must not mint keys.
  publishedPosts: (limit: number) => key<PostPage>(`posts:published:${limit}:first`, policies.page, 'posts'),
  filteredPosts: (limit: number, tag: string | undefined, author: string | undefined) =>
    key<PostPage>(`posts:filtered:${limit}:${tag ?? ''}:${(author ?? '').toLowerCase()}:first`, policies.page, 'posts'),
  relatedPosts: (slug: string, limit: number) =>
    key<PostSummary[]>(`posts:related:${slug}:${limit}`, policies.page, 'posts', undefined, edgeNames.post(slug)),
  tags: () => key<Tag[]>('tags', policies.page, 'posts'),
  /** Finished feed documents (body, ETag, last change); the site's RSS feed by default. */
  feed: (format: FeedFormat = 'rss', scope: FeedScope = { kind: 'site' }) =>
    key<XmlDocument>(`doc:${format}:${feedScopeKey(scope)}`, policies.page, 'posts', undefined, feedSubject(scope)),
  sitemap: () => key<XmlDocument>('doc:sitemap', policies.page, 'posts'),
  /**
   * The first page (default size) of a post's comment thread; null when the post is not published. Every thread is
   * under the `comments` tag, so disabling a user (whose comments must vanish everywhere) drops them all at once.
   */
  commentThread: (postId: number) =>
    key<CommentPage>(`comments:post:${postId}:first`, policies.page, 'comments', undefined, edgeNames.thread(postId)),
  /**
   * The site settings, for what no cached page holds: the API, forms, error pages and the comment path. Cached
   * pages embed the settings they were rendered with, and read them in their own database batch on a miss. At the
   * edge it is `site`, which every shared response carries: dropping it purges them all.
   */
  settings: () => key<SiteSettings>('settings', policies.entity, undefined, undefined, edgeNames.site),
  /** Also read on every authenticated request, so a disabled user's tokens stop working at once. */
  user: (id: number) => key<UserProfile>(`user:${id}`, policies.entity, undefined, undefined, edgeNames.user(id)),
  /**
   * A finished response (a page or an API read) named by its route and the parts that select it, tagged with
   * posts: a list or a feed can change with any write to posts, tags or authors.
   */
  response: (route: string, ...parts: (string | number)[]) =>
    key<StoredResponse>(
      ['res', route, ...parts].join(':'),
      policies.page,
      'posts',
      responseCodec,
      responseSubject(route, parts[0]),
    ),
  /**
   * A finished response that shows one post and nothing else (its API read; the page also shows its neighbours,
   * so it is a tagged `response`). Not tagged, so a write to
   * another post leaves it cached; `postEntries` drops it with the post.
   */
  postResponse: (route: PostResponseRoute, slug: string) =>
    key<StoredResponse>(`res:${route}:${slug}`, policies.entity, undefined, responseCodec, edgeNames.post(slug)),
};

/** Routes whose first part names the one post, tag or author the response shows; any other is named by the list. */
const RESPONSE_SUBJECTS: Partial<Record<string, (part: string) => string>> = {
  post: edgeNames.post,
  // A static page is a post of type page (slugs are unique across both): its writes purge `post:<slug>`.
  page: edgeNames.post,
  tag: edgeNames.tag,
  author: edgeNames.author,
};

function responseSubject(route: string, first: string | number | undefined): string | undefined {
  const subject = RESPONSE_SUBJECTS[route];
  return subject && first !== undefined ? subject(String(first)) : undefined;
}

function feedSubject(scope: FeedScope): string | undefined {
  if (scope.kind === 'tag') return edgeNames.tag(scope.slug);
  if (scope.kind === 'author') return edgeNames.author(scope.username);
  return undefined;
}

/** The Cache-Tag of a response served from `key`: what it shows, and the site it is part of. */
export function edgeTagsOf(key: CacheKey<unknown>): string[] {
  return [...key.edgeTags, edgeNames.site];
}

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
  /** A visitor's mark on a post, kept for the hour in which they count once (lib/views.ts). */
  viewedBy: (namespace: string, visitor: string, slug: string) =>
    counterKey(namespace, `views:seen:${visitor}:${slug}`),
};

/**
 * Tag sets: `posts`, every list page, tag count and feed (any write to posts, tags or authors makes them stale);
 * `comments`, every thread; `site`, everything shared (a change to the site's settings), which holds no Upstash entry
 * but is purged from the edge like the others.
 */
export const cacheTags = {
  posts: defineTag('posts'),
  comments: defineTag('comments'),
  site: defineTag(edgeNames.site),
};

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

// Posts as the product sees them: visitors read through the cache; writers save through here, which renders the
// markdown, enforces who may edit what, guards against lost updates, and drops every cache entry a change affects.
import { canEditPost, canSeeUnpublished, hasRole } from './auth/roles';
import { readThrough, type CacheResult } from './cache';
import { cacheKeys, invalidatePosts } from './cache-keys';
import { timed, type Deps } from './context';
import * as db from './db/posts';
import type { PostOrigin } from './db/posts';
import { AppError } from './errors';
import { emitBlogEvents } from './jobs/enqueue';
import { mediaKeysIn } from './images';
import { renderMarkdown } from './markdown';
import { startNewsletter } from './newsletter/fanout';
import type {
  CreatePostBody,
  Post,
  PostPage,
  PostStatus,
  PostSummary,
  PostType,
  SearchPostsQuery,
  UpdatePostBody,
} from './schemas/post';
import type { RevisionKind } from './schemas/revision';
import type { AuthUser } from './schemas/user';
import { revisionStamp } from './revision-policy';
import { slugify } from './slug';
import { postChangeEvent, postEvent } from './webhooks/events';

/** A published post straight from the database: the load behind cached reads and cached responses. */
export async function loadPublishedPost(deps: Deps, slug: string): Promise<Post | null> {
  const post = await timed(deps, 'db', () => db.getPostBySlug(deps.sqlRead, slug, 'post'));
  return post?.status === 'published' ? post : null;
}

/** A page of published posts (optionally one tag's or one author's) straight from the database. */
export function loadPublishedPostPage(
  deps: Deps,
  query: { limit: number; cursor?: string; tag?: string; author?: string },
): Promise<PostPage> {
  const { limit, cursor, tag, author } = query;
  if (!tag && !author) return timed(deps, 'db', () => db.listPublishedPosts(deps.sqlRead, { limit, cursor }));
  return timed(deps, 'db', () => db.listPosts(deps.sqlRead, { status: 'published', limit, cursor, tag, author }));
}

export function readPublishedPost(deps: Deps, slug: string): Promise<CacheResult<Post>> {
  return timed(deps, 'post', () => readThrough(deps.cache, cacheKeys.post(slug), () => loadPublishedPost(deps, slug)));
}

/**
 * A post for this viewer: published posts through the cache; drafts and scheduled posts only for their author
 * and editors, always from the primary (a writer expects to see what they just saved).
 */
export async function readPostForViewer(deps: Deps, slug: string, viewer: AuthUser | null): Promise<CacheResult<Post>> {
  const published = await readPublishedPost(deps, slug);
  if (published.value || !viewer) return published;
  const post = await readUnpublishedPost(deps, slug, viewer);
  return post ? { value: post, status: 'BYPASS' } : { value: null, status: published.status };
}

/** A draft or scheduled post, from the primary, if this viewer may see it; never cached (it is theirs alone). */
export async function readUnpublishedPost(deps: Deps, slug: string, viewer: AuthUser): Promise<Post | null> {
  const post = await timed(deps, 'db', () => db.getPostBySlug(deps.sql, slug, 'post'));
  return post && canSeeUnpublished(viewer, { authorId: post.author.id }) ? post : null;
}

/** A published post's id and slug: by slug through the cache (as its page reads it), by id from the primary. */
export async function findPublishedPost(deps: Deps, ref: db.PostRef): Promise<{ id: number; slug: string } | null> {
  if ('slug' in ref) {
    const { value } = await readPublishedPost(deps, ref.slug);
    return value && { id: value.id, slug: value.slug };
  }
  return timed(deps, 'db', () => db.getPublishedPostRef(deps.sql, ref.id));
}

/** How an error message names a post. */
export function describePostRef(ref: db.PostRef): string {
  return 'slug' in ref ? `the slug "${ref.slug}"` : `the id ${ref.id}`;
}

/**
 * A post by its id, for the API: published posts for everyone, drafts and scheduled posts for their author and
 * editors (from the primary, as by slug). Not cached: readers come by slug (pages, feeds, links), and an entry by id
 * would need every slug-keyed invalidation (reactions, views, comments) to know the id too.
 */
export async function readPostById(deps: Deps, id: number, viewer: AuthUser | null): Promise<Post | null> {
  const post = await timed(deps, 'db', () => db.getPostById(deps.sqlRead, id));
  // A page is not a post: /api/pages/{id} reads it.
  if (post && post.type !== 'post') return null;
  if (post?.status === 'published') return post;
  if (!viewer) return null;
  const own = await timed(deps, 'db', () => db.getPostById(deps.sql, id));
  return own?.type === 'post' && canSeeUnpublished(viewer, { authorId: own.author.id }) ? own : null;
}

/** Deeper pages skip the cache: they are rarely hot, and a client-supplied cursor must not mint cache keys. */
async function uncachedPage(deps: Deps, load: () => Promise<PostPage>): Promise<CacheResult<PostPage>> {
  return { value: await timed(deps, 'db', load), status: 'BYPASS' };
}

export function readPublishedPage(
  deps: Deps,
  query: { limit: number; cursor?: string },
): Promise<CacheResult<PostPage>> {
  if (query.cursor) return uncachedPage(deps, () => db.listPublishedPosts(deps.sqlRead, query));
  return timed(deps, 'list', () =>
    readThrough(deps.cache, cacheKeys.publishedPosts(query.limit), () =>
      timed(deps, 'db', () => db.listPublishedPosts(deps.sqlRead, query)),
    ),
  );
}

/**
 * Lists posts for the API. Published lists filtered by tag or author are cached like the home page; searches and
 * unpublished lists always go to the database (they are per-query or per-user).
 */
export async function searchPosts(
  deps: Deps,
  query: SearchPostsQuery,
  viewer: AuthUser | null,
): Promise<CacheResult<PostPage>> {
  const { status, limit, cursor, tag, author, q } = query;
  if (status !== 'published') {
    if (!viewer) throw new AppError('unauthorized', `Sign in to list ${status} posts.`);
    if (!hasRole(viewer, 'author'))
      throw new AppError('forbidden', `Only authors and editors can list ${status} posts.`);
    const authorId = hasRole(viewer, 'editor') ? undefined : viewer.id;
    return uncachedPage(deps, () => db.listPosts(deps.sql, { status, limit, cursor, tag, author, authorId }));
  }
  if (q) return uncachedPage(deps, () => db.listPosts(deps.sqlRead, { status, limit, cursor, tag, author, q }));
  if (!tag && !author) return readPublishedPage(deps, { limit, cursor });
  const load = () => db.listPosts(deps.sqlRead, { status, limit, cursor, tag, author });
  if (cursor) return uncachedPage(deps, load);
  return readThrough(deps.cache, cacheKeys.filteredPosts(limit, tag, author), () => timed(deps, 'db', load));
}

/** Published posts sharing tags with a published post, straight from the database; null when the post is not. */
export async function loadRelatedPosts(deps: Deps, id: number, limit = 5): Promise<PostSummary[] | null> {
  const post = await timed(deps, 'db', () => db.getPostById(deps.sqlRead, id));
  if (post?.status !== 'published' || post.type !== 'post') return null;
  return timed(deps, 'db', () => db.listRelatedPosts(deps.sqlRead, post.id, limit));
}

export async function readRelatedPosts(deps: Deps, slug: string, limit = 5) {
  const { value: post } = await readPublishedPost(deps, slug);
  if (!post) return null;
  return readThrough(deps.cache, cacheKeys.relatedPosts(slug, limit), () =>
    timed(deps, 'db', () => db.listRelatedPosts(deps.sqlRead, post.id, limit)),
  );
}

/** How many related posts a post page lists. */
export const RELATED_ON_PAGE = 3;

interface Publication {
  status: PostStatus;
  publishedAt: string | null;
}

/** Works out status and time together: scheduling needs a future time; publishing defaults to now. */
function resolvePublication(
  status: PostStatus,
  requested: string | null | undefined,
  current: string | null,
  now: number,
): Publication {
  if (status === 'draft') return { status, publishedAt: null };
  const at = requested ?? current;
  if (status === 'scheduled') {
    if (!at)
      throw new AppError('validation_failed', 'A scheduled post needs publishedAt.', {
        errors: [{ path: 'body.publishedAt', message: 'required when status is scheduled' }],
      });
    if (Date.parse(at) <= now) {
      throw new AppError('validation_failed', 'A scheduled post must be scheduled in the future.', {
        errors: [{ path: 'body.publishedAt', message: 'must be in the future for a scheduled post' }],
      });
    }
    return { status, publishedAt: new Date(at).toISOString() };
  }
  // Publishing takes effect now: a future time would pin the post above everything until then (use scheduled).
  if (requested && Date.parse(requested) > now + CLOCK_SKEW_MS) {
    throw new AppError('validation_failed', 'A published post cannot carry a future time; use status "scheduled".', {
      errors: [{ path: 'body.publishedAt', message: 'must not be in the future for a published post' }],
    });
  }
  const keep = current !== null && Date.parse(current) <= now ? current : null;
  return { status, publishedAt: new Date(requested ?? keep ?? now).toISOString() };
}

/** Tolerance for a client clock slightly ahead of ours. */
const CLOCK_SKEW_MS = 60_000;

function tagRefs(names: string[]): { slug: string; name: string }[] {
  const bySlug = new Map<string, string>();
  for (const name of names) {
    const slug = slugify(name, 60);
    if (!slug)
      throw new AppError('validation_failed', `The tag "${name}" has no letters or digits.`, {
        errors: [{ path: 'body.tags', message: `"${name}" cannot be made into a slug` }],
      });
    if (!bySlug.has(slug)) bySlug.set(slug, name);
  }
  return [...bySlug].map(([slug, name]) => ({ slug, name }));
}

async function rendered(markdown: string) {
  const { html, toc, excerpt, readingMinutes } = await renderMarkdown(markdown);
  return { markdown, html, toc, excerpt, readingMinutes, media: mediaKeysIn(markdown) };
}

function renderedFieldsOf({ markdown, html, toc, excerpt, readingMinutes }: Post) {
  return { markdown, html, toc, excerpt, readingMinutes, media: mediaKeysIn(markdown) };
}

/** The excerpt readers see: the writer's own when there is one, else the one derived from the body. */
function excerptOf(own: string | null | undefined, derived: string) {
  return own ? { excerpt: own, excerptCustom: true } : { excerpt: derived, excerptCustom: false };
}

/**
 * `createdAt` and `origin` are for imports only: a draft brought from another blog (or an export) keeps the date it
 * had, and a post from a Ghost or WordPress export remembers its item and old addresses (lib/importers/). `type`
 * page is for lib/pages, which checks the page rules (who, which slugs) first.
 */
export async function createPost(
  deps: Deps,
  author: AuthUser,
  body: CreatePostBody,
  now = Date.now(),
  { createdAt, origin, type = 'post' }: { createdAt?: string; origin?: PostOrigin; type?: PostType } = {},
): Promise<Post> {
  if (!hasRole(author, 'author')) throw new AppError('forbidden', 'Only authors, editors and admins can write posts.');
  const slug = body.slug ?? slugify(body.title);
  if (!slug)
    throw new AppError('validation_failed', 'The title has no letters or digits to make a slug from; give a slug.', {
      errors: [{ path: 'body.slug', message: 'required for this title' }],
    });
  const publication = resolvePublication(body.status, body.publishedAt, null, now);
  const content = await rendered(body.markdown);
  const { id } = await db.insertPost(deps.sql, {
    slug,
    title: body.title,
    ...content,
    ...excerptOf(body.excerpt, content.excerpt),
    ...publication,
    authorId: author.id,
    tags: tagRefs(body.tags),
    createdAt,
    origin,
    type,
    // An imported post was news on the blog it came from: it is never mailed, unless the importer asks.
    emailSubscribers: body.emailSubscribers ?? !(createdAt || origin),
  });
  await invalidatePosts(deps.cache, [slug]);
  const post = mustExist(await db.getPostById(deps.sql, id));
  announceChange(deps, null, post);
  return post;
}

/**
 * Tells webhooks and IndexNow what a committed write changed for readers (lib/webhooks/events.ts); drafts and
 * scheduled posts changing among themselves tell nobody. The one place post writes announce themselves.
 */
function announceChange(
  deps: Deps,
  before: Pick<Post, 'id' | 'slug' | 'title' | 'status' | 'publishedAt' | 'type'> | null,
  after: Pick<Post, 'id' | 'slug' | 'title' | 'status' | 'publishedAt' | 'type'> | null,
): void {
  const type = postChangeEvent(before, after);
  const post = after ?? before;
  // Pages are not posts to the outside: no post event names them.
  if (!type || !post || post.type === 'page') return;
  emitBlogEvents(deps, [postEvent(type, deps.config.SITE_URL, post, { previousSlug: before?.slug })]);
  // Every publish asks; only the first one of a post that wants it mails anyone (lib/newsletter/fanout.ts).
  if (type === 'post.published') {
    deps.cache.waitUntil(
      startNewsletter(deps, post.id).catch((error) => deps.cache.log?.('newsletter not started', error)),
    );
  }
}

/**
 * Someone else's draft answers 404, not 403, so its existence does not leak. A page is not a post (nor the reverse):
 * asked for under the other type, it is not found.
 */
export async function loadEditablePost(
  deps: Deps,
  editor: AuthUser,
  id: number,
  type: PostType = 'post',
): Promise<Post> {
  const current = await db.getPostById(deps.sql, id);
  const noun = type === 'page' ? 'page' : 'post';
  if (current?.type === type && canEditPost(editor, { authorId: current.author.id })) return current;
  if (current?.type === type && current.status === 'published') {
    throw new AppError('forbidden', `You can only change your own ${noun}s.`);
  }
  throw new AppError('not_found', `There is no ${noun} with id ${id}.`);
}

export interface SaveOptions {
  type?: PostType;
  /** What kind of revision the save keeps; by default a save, or an autosave when the body says so. */
  revision?: RevisionKind;
}

export async function updatePost(
  deps: Deps,
  editor: AuthUser,
  id: number,
  body: UpdatePostBody,
  now = Date.now(),
  { type = 'post', revision }: SaveOptions = {},
): Promise<Post> {
  const current = await loadEditablePost(deps, editor, id, type);
  if (body.version !== current.version) throw versionConflict(current);
  const status = body.status ?? current.status;
  const publishedAtChanged = body.publishedAt !== undefined || body.status !== undefined;
  const publication = publishedAtChanged
    ? resolvePublication(status, body.publishedAt, current.status === 'draft' ? null : current.publishedAt, now)
    : { status: current.status, publishedAt: current.publishedAt };
  // Omitted: the excerpt stays as it is (the writer's own, or following the body); empty or null: the body's again.
  const ownExcerpt = body.excerpt === undefined ? (current.excerptCustom ? current.excerpt : null) : body.excerpt;
  const rerender = body.markdown !== undefined || (current.excerptCustom && !ownExcerpt);
  const content = rerender ? await rendered(body.markdown ?? current.markdown) : renderedFieldsOf(current);
  const saved = await db.updatePost(
    deps.sql,
    id,
    body.version,
    {
      slug: body.slug ?? current.slug,
      title: body.title ?? current.title,
      ...content,
      ...excerptOf(ownExcerpt, content.excerpt),
      ...publication,
      tags: body.tags === undefined ? current.tags : tagRefs(body.tags),
      emailSubscribers: body.emailSubscribers,
    },
    revisionStamp(editor, revision ?? (body.autosave ? 'autosave' : 'save'), now),
  );
  const fresh = mustExist(await db.getPostById(deps.sql, id));
  // Someone saved between our read and our write: the guarded UPDATE changed nothing.
  if (!saved) throw versionConflict(fresh);
  await invalidatePosts(deps.cache, [current.slug, fresh.slug]);
  announceChange(deps, current, fresh);
  return fresh;
}

export async function deletePost(deps: Deps, editor: AuthUser, id: number, type: PostType = 'post'): Promise<void> {
  const current = await loadEditablePost(deps, editor, id, type);
  const deleted = await db.deletePost(deps.sql, id);
  if (!deleted) return;
  await invalidatePosts(deps.cache, [deleted.slug]);
  announceChange(deps, current, null);
}

/** Publishes scheduled posts that are due (the cron) and drops the cache entries that change. */
export async function publishDuePosts(deps: Deps, now = new Date()): Promise<string[]> {
  const published = await db.publishDuePosts(deps.sql, now);
  const slugs = published.map((post) => post.slug);
  if (slugs.length > 0) await invalidatePosts(deps.cache, slugs);
  for (const post of published) announceChange(deps, { ...post, status: 'scheduled' }, post);
  return slugs;
}

function versionConflict(current: Post): AppError {
  return new AppError(
    'version_conflict',
    `This post was changed by someone else; it is now at version ${current.version}. Reload it and apply your edit again.`,
    {
      currentVersion: current.version,
    },
  );
}

function mustExist<T>(value: T | null): T {
  if (value === null) throw new AppError('not_found', 'The post no longer exists.');
  return value;
}

// Static pages (About, Contact, Colophon): posts of type `page`, written by editors in the same editor and API rules
// (rendering, versions, revisions), served at `/{slug}` and kept out of every list of posts (lib/db/posts.ts).
import { hasRole } from '../auth/roles';
import { timed, type Deps } from '../context';
import { readBatch } from '../db/batch';
import * as db from '../db/posts';
import { AppError } from '../errors';
import { createPost, deletePost, loadEditablePost, updatePost } from '../posts';
import type { CreatePageBody, Page, PageSummary, UpdatePageBody } from '../schemas/page';
import type { Post, PostView } from '../schemas/post';
import type { AuthUser } from '../schemas/user';
import { settingsPart, type SiteSettings } from '../settings';
import { slugify } from '../slug';
import { isReservedSlug } from './reserved-slugs';

/** The API's page: a post's fields less those a page has not (tags, reactions, views). */
export function toPage(post: Post): Page {
  const { id, slug, title, excerpt, excerptCustom, status, publishedAt, author, html, markdown, toc } = post;
  const { version, createdAt, updatedAt } = post;
  return {
    id,
    slug,
    title,
    excerpt,
    excerptCustom,
    status,
    publishedAt,
    author,
    html,
    markdown,
    toc,
    version,
    createdAt,
    updatedAt,
  };
}

function toSummary({ id, slug, title, excerpt, status, publishedAt, author }: PageSummary): PageSummary {
  return { id, slug, title, excerpt, status, publishedAt, author };
}

function requireEditor(user: AuthUser): void {
  if (!hasRole(user, 'editor')) throw new AppError('forbidden', 'Only editors and admins write pages.');
}

/** A page is served at `/{slug}`: a slug the site's own addresses use is refused, naming the field. */
export function checkPageSlug(slug: string): void {
  if (isReservedSlug(slug)) {
    throw new AppError(
      'validation_failed',
      `"/${slug}" is an address of the site itself; give the page another slug.`,
      {
        errors: [{ path: 'body.slug', message: `"${slug}" is reserved for the site's own pages` }],
      },
    );
  }
}

/** Published pages for everyone; every page (drafts included) for editors who ask for them. */
export async function listPages(deps: Deps, viewer: AuthUser | null, all: boolean): Promise<PageSummary[]> {
  if (all && !viewer) throw new AppError('unauthorized', 'Sign in to list unpublished pages.');
  if (all && viewer && !hasRole(viewer, 'editor')) {
    throw new AppError('forbidden', 'Only editors and admins can list unpublished pages.');
  }
  const rows = await timed(deps, 'db', () => db.listPages(all ? deps.sql : deps.sqlRead, { published: !all }));
  return rows.map(toSummary);
}

/** A page by id: published ones for everyone, drafts for editors; from the primary (writers read what they saved). */
export async function readPage(deps: Deps, id: number, viewer: AuthUser | null): Promise<Page | null> {
  const post = await timed(deps, 'db', () => db.getPostById(deps.sql, id));
  if (post?.type !== 'page') return null;
  if (post.status !== 'published' && !(viewer && hasRole(viewer, 'editor'))) return null;
  return toPage(post);
}

/**
 * A published page as `/{slug}` shows it, with the site settings its layout shows, in one round trip; null for
 * anything else (a post, a draft, nothing).
 */
export async function loadPublishedPageView(
  deps: Deps,
  slug: string,
): Promise<{ page: PostView; settings: SiteSettings } | null> {
  const [settings, page] = await timed(deps, 'db', () =>
    readBatch(deps.sql, settingsPart(deps), db.postViewPart(deps.sql, slug, 'page')),
  );
  return page?.status === 'published' ? { page, settings } : null;
}

export async function createPage(deps: Deps, user: AuthUser, body: CreatePageBody, now = Date.now()): Promise<Page> {
  requireEditor(user);
  const slug = body.slug ?? slugify(body.title);
  if (slug) checkPageSlug(slug);
  const post = await createPost(deps, user, { ...body, slug: slug || undefined, tags: [] }, now, { type: 'page' });
  return toPage(post);
}

export async function updatePage(
  deps: Deps,
  user: AuthUser,
  id: number,
  body: UpdatePageBody,
  now = Date.now(),
): Promise<Page> {
  requireEditor(user);
  if (body.slug) checkPageSlug(body.slug);
  return toPage(await updatePost(deps, user, id, body, now, { type: 'page' }));
}

export async function deletePage(deps: Deps, user: AuthUser, id: number): Promise<void> {
  requireEditor(user);
  await deletePost(deps, user, id, 'page');
}

/** For the admin's editor: the page this editor may change, or not found. */
export function loadEditablePage(deps: Deps, user: AuthUser, id: number): Promise<Post> {
  requireEditor(user);
  return loadEditablePost(deps, user, id, 'page');
}

// Tags for readers (cached with the post lists they summarise) and for editors (who curate them).
import { readThrough, type CacheResult } from './cache';
import { cacheKeys, invalidatePosts } from './cache-keys';
import { timed, type Deps } from './context';
import * as db from './db/tags';
import { AppError } from './errors';
import type { CreateTagBody, Tag, UpdateTagBody } from './schemas/tag';
import { slugify } from './slug';

export function readTags(deps: Deps): Promise<CacheResult<Tag[]>> {
  return readThrough(deps.cache, cacheKeys.tags(), () => timed(deps, 'db', () => db.listTags(deps.sqlRead)));
}

/** Every public tag with its count, straight from the database: the load behind the cached tag list. */
export function loadPublicTags(deps: Deps): Promise<Tag[]> {
  return timed(deps, 'db', () => db.listTags(deps.sqlRead));
}

/** A public tag straight from the database, or null: the load behind the cached tag page. */
export function loadPublicTag(deps: Deps, slug: string): Promise<Tag | null> {
  return timed(deps, 'db', () => db.getTagBySlug(deps.sqlRead, slug));
}

export async function readTag(deps: Deps, slug: string): Promise<Tag> {
  const tag = await timed(deps, 'db', () => db.getTagBySlug(deps.sqlRead, slug));
  if (!tag) throw new AppError('not_found', `There is no tag "${slug}".`);
  return tag;
}

export async function createTag(deps: Deps, body: CreateTagBody): Promise<Tag> {
  const slug = body.slug ?? slugify(body.name, 60);
  if (!slug)
    throw new AppError('validation_failed', 'The name has no letters or digits; give a slug.', {
      errors: [{ path: 'body.slug', message: 'required for this name' }],
    });
  const tag = await db.insertTag(deps.sql, { slug, name: body.name, description: body.description });
  // A new tag changes tag lists and counts, which live under the posts tag.
  await invalidatePosts(deps.cache, []);
  return tag;
}

export async function updateTag(deps: Deps, slug: string, body: UpdateTagBody): Promise<Tag> {
  const updated = await db.updateTag(deps.sql, slug, body);
  if (!updated) throw new AppError('not_found', `There is no tag "${slug}".`);
  // Posts embed their tags' names and slugs, so the posts carrying it are dropped along with every list.
  await invalidatePosts(deps.cache, updated.postSlugs);
  return updated.tag;
}

export async function deleteTag(deps: Deps, slug: string): Promise<void> {
  const postSlugs = await db.deleteTag(deps.sql, slug);
  if (!postSlugs) throw new AppError('not_found', `There is no tag "${slug}".`);
  await invalidatePosts(deps.cache, postSlugs);
}

/** The editors' list: every tag, drafts' tags included, with how many posts of any status carry it. */
export function readTagsForEditors(deps: Deps) {
  return timed(deps, 'db', () => db.listTagsWithUsage(deps.sql));
}

/** Folds one tag into another: its posts get the other tag, and it is gone. */
export async function mergeTags(deps: Deps, from: string, into: string): Promise<void> {
  if (from === into) throw new AppError('validation_failed', 'Pick two different tags to merge.');
  const postSlugs = await db.mergeTags(deps.sql, from, into);
  if (!postSlugs) throw new AppError('not_found', 'One of those tags does not exist.');
  await invalidatePosts(deps.cache, postSlugs);
}

/** Deletes a tag no post carries; a tag in use is refused (rename or merge it instead). */
export async function deleteUnusedTag(deps: Deps, slug: string): Promise<void> {
  const outcome = await db.deleteUnusedTag(deps.sql, slug);
  if (outcome === 'not_found') throw new AppError('not_found', `There is no tag "${slug}".`);
  if (outcome === 'in_use') {
    throw new AppError('conflict', `Posts still carry "${slug}": merge it into another tag, or remove it from them.`);
  }
  await invalidatePosts(deps.cache, []);
}

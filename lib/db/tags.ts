// SQL for tags: the only place that knows the tags table's columns.
import type { Sql } from '../clients';
import type { BatchPart } from './batch';
import type { Tag } from '../schemas/tag';
import type { Row } from './rows';

const TAG_COLUMNS = `
  t.id, t.slug, t.name, t.description,
  (SELECT count(*)::int FROM post_tags pt JOIN posts p ON p.id = pt.post_id
   WHERE pt.tag_id = t.id AND p.status = 'published' AND p.type = 'post') AS post_count`;

function rowToTag(row: Row): Tag {
  return {
    id: Number(row.id),
    slug: String(row.slug),
    name: String(row.name),
    description: String(row.description),
    postCount: Number(row.post_count),
  };
}

// A tag only unpublished posts carry is not public yet: its name could give away a draft. Tags with no posts at
// all were made by editors on purpose and are listed.
export const PUBLIC_TAG = `(EXISTS (SELECT 1 FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id AND p.status = 'published' AND p.type = 'post')
  OR NOT EXISTS (SELECT 1 FROM post_tags pt WHERE pt.tag_id = t.id))`;

export async function listTags(sql: Sql): Promise<Tag[]> {
  const part = listTagsPart(sql);
  return part.decode([await part.queries[0]!]);
}

/** listTags as part of a batch (lib/db/batch.ts). */
export function listTagsPart(sql: Sql): BatchPart<Tag[]> {
  return {
    queries: [
      sql`SELECT ${sql.unsafe(TAG_COLUMNS)} FROM tags t WHERE ${sql.unsafe(PUBLIC_TAG)} ORDER BY post_count DESC, t.name`,
    ],
    decode: ([rows]) => (rows ?? []).map(rowToTag),
  };
}

export async function getTagBySlug(sql: Sql, slug: string): Promise<Tag | null> {
  const part = tagPart(sql, slug);
  return part.decode([await part.queries[0]!]);
}

/** getTagBySlug as part of a batch (lib/db/batch.ts). */
export function tagPart(sql: Sql, slug: string): BatchPart<Tag | null> {
  return {
    queries: [sql`SELECT ${sql.unsafe(TAG_COLUMNS)} FROM tags t WHERE t.slug = ${slug} AND ${sql.unsafe(PUBLIC_TAG)}`],
    decode: ([rows]) => (rows?.[0] ? rowToTag(rows[0]) : null),
  };
}

export async function insertTag(sql: Sql, tag: { slug: string; name: string; description: string }): Promise<Tag> {
  const rows = await sql`
    WITH t AS (INSERT INTO tags (slug, name, description) VALUES (${tag.slug}, ${tag.name}, ${tag.description}) RETURNING *)
    SELECT ${sql.unsafe(TAG_COLUMNS)} FROM t`;
  return rowToTag(rows[0] as Row);
}

/** Returns the changed tag and the slugs of the posts that show it (their cached copies carry its old name). */
export async function updateTag(
  sql: Sql,
  slug: string,
  changes: { slug?: string; name?: string; description?: string },
): Promise<{ tag: Tag; postSlugs: string[] } | null> {
  const rows = await sql`
    WITH t AS (
      UPDATE tags SET slug = coalesce(${changes.slug ?? null}, slug), name = coalesce(${changes.name ?? null}, name),
        description = coalesce(${changes.description ?? null}, description)
      WHERE slug = ${slug}
      RETURNING *
    )
    SELECT ${sql.unsafe(TAG_COLUMNS)},
      coalesce((SELECT array_agg(p.slug) FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id), '{}') AS post_slugs
    FROM t`;
  const row = rows[0];
  return row ? { tag: rowToTag(row), postSlugs: row.post_slugs as string[] } : null;
}

/** Deleting a tag unlinks it from its posts (the posts stay). Returns the slugs of the posts that carried it. */
export async function deleteTag(sql: Sql, slug: string): Promise<string[] | null> {
  const rows = await sql`
    WITH t AS (SELECT id FROM tags WHERE slug = ${slug}),
    affected AS (SELECT p.slug FROM posts p JOIN post_tags pt ON pt.post_id = p.id WHERE pt.tag_id IN (SELECT id FROM t)),
    gone AS (DELETE FROM tags WHERE id IN (SELECT id FROM t) RETURNING id)
    SELECT (SELECT count(*) FROM gone)::int AS deleted, coalesce((SELECT array_agg(slug) FROM affected), '{}') AS slugs`;
  const row = rows[0] as Row;
  return Number(row.deleted) > 0 ? (row.slugs as string[]) : null;
}

/** Every tag with the number of posts of any status carrying it: the editors' tag list. */
export async function listTagsWithUsage(sql: Sql): Promise<(Tag & { usage: number })[]> {
  const rows = await sql`
    SELECT ${sql.unsafe(TAG_COLUMNS)}, (SELECT count(*)::int FROM post_tags pt WHERE pt.tag_id = t.id) AS usage
    FROM tags t ORDER BY t.name, t.id`;
  return rows.map((row) => ({ ...rowToTag(row), usage: Number(row.usage) }));
}

/**
 * Moves every post of `from` onto `into` and deletes `from`, in one statement. Returns the slugs of the posts that
 * changed, or null when either tag does not exist.
 */
export async function mergeTags(sql: Sql, from: string, into: string): Promise<string[] | null> {
  const rows = await sql`
    WITH source AS (SELECT id FROM tags WHERE slug = ${from}),
    target AS (SELECT id FROM tags WHERE slug = ${into}),
    moved AS (
      INSERT INTO post_tags (post_id, tag_id)
      SELECT pt.post_id, target.id FROM post_tags pt, target WHERE pt.tag_id IN (SELECT id FROM source)
      ON CONFLICT DO NOTHING
    ),
    affected AS (SELECT p.slug FROM posts p JOIN post_tags pt ON pt.post_id = p.id WHERE pt.tag_id IN (SELECT id FROM source)),
    gone AS (DELETE FROM tags WHERE id IN (SELECT id FROM source) AND EXISTS (SELECT 1 FROM target) RETURNING id)
    SELECT (SELECT count(*) FROM gone)::int AS merged, coalesce((SELECT array_agg(slug) FROM affected), '{}') AS slugs`;
  const row = rows[0] as Row;
  return Number(row.merged) > 0 ? (row.slugs as string[]) : null;
}

/** Deletes a tag only if no post carries it; 'in_use' otherwise. */
export async function deleteUnusedTag(sql: Sql, slug: string): Promise<'deleted' | 'in_use' | 'not_found'> {
  const rows = await sql`
    WITH t AS (SELECT id FROM tags WHERE slug = ${slug}),
    gone AS (
      DELETE FROM tags WHERE id IN (SELECT id FROM t) AND NOT EXISTS (SELECT 1 FROM post_tags pt WHERE pt.tag_id = tags.id)
      RETURNING id
    )
    SELECT (SELECT count(*) FROM t)::int AS found, (SELECT count(*) FROM gone)::int AS deleted`;
  const row = rows[0] as Row;
  if (Number(row.deleted) > 0) return 'deleted';
  return Number(row.found) > 0 ? 'in_use' : 'not_found';
}

// What imports remember (migration 0009): which post each export item became, and the old addresses that
// redirect to imported posts.
import type { Sql } from '../clients';
import type { PostType } from '../schemas/post';
import type { PostOrigin } from './posts';

/** source id -> post id, for the items of one export that were imported before. */
export async function getImportedPostIds(
  sql: Sql,
  source: PostOrigin['source'],
  sourceIds: string[],
): Promise<Map<string, number>> {
  const rows = await sql`
    SELECT source_id, post_id FROM imported_posts WHERE source = ${source} AND source_id = ANY(${sourceIds}::text[])`;
  return new Map(rows.map((row) => [String(row.source_id), Number(row.post_id)]));
}

/** slug -> post id, for those of these slugs that posts already have. */
export async function getPostIdsBySlug(sql: Sql, slugs: string[]): Promise<Map<string, number>> {
  const rows = await sql`SELECT slug, id FROM posts WHERE slug = ANY(${slugs}::text[])`;
  return new Map(rows.map((row) => [String(row.slug), Number(row.id)]));
}

/** Adds old addresses for a post; a path that already redirects somewhere keeps its target. */
export async function addRedirects(sql: Sql, postId: number, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await sql`
    INSERT INTO redirects (path, post_id) SELECT path, ${postId} FROM unnest(${paths}::text[]) AS path
    ON CONFLICT (path) DO NOTHING`;
}

/** The post or page a former address now leads to, if it is published (a draft's slug must not leak). */
export async function findRedirectTarget(sql: Sql, path: string): Promise<{ slug: string; type: PostType } | null> {
  const rows = await sql`
    SELECT p.slug, p.type FROM redirects r JOIN posts p ON p.id = r.post_id
    WHERE r.path = ${path} AND p.status = 'published'`;
  return rows[0] ? { slug: String(rows[0].slug), type: rows[0].type === 'page' ? 'page' : 'post' } : null;
}

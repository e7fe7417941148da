// SQL for view counts: the only place that knows post_stats.
import type { Sql } from '../clients';

/**
 * Adds a batch of views, counted by slug, in one statement and returns the slugs of the posts it changed; slugs of
 * posts deleted (or renamed) since their views were counted are skipped.
 */
export async function addViews(sql: Sql, slugs: string[], views: number[]): Promise<string[]> {
  const rows = await sql`
    WITH added AS (
      INSERT INTO post_stats (post_id, views)
      SELECT p.id, v.views
      FROM unnest(${slugs}::text[], ${views}::bigint[]) AS v (slug, views)
      JOIN posts p ON p.slug = v.slug
      ON CONFLICT (post_id) DO UPDATE SET views = post_stats.views + EXCLUDED.views
      RETURNING post_id
    )
    SELECT p.slug FROM added JOIN posts p ON p.id = added.post_id`;
  return rows.map((row) => String(row.slug));
}

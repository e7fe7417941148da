// SQL for view counts: the only place that knows post_stats.
import type { Sql } from '../clients';

/**
 * Adds a batch of views in one statement and returns the slugs of the posts it changed; ids of posts deleted since
 * their views were counted are skipped.
 */
export async function addViews(sql: Sql, postIds: number[], views: number[]): Promise<string[]> {
  const rows = await sql`
    WITH added AS (
      INSERT INTO post_stats (post_id, views)
      SELECT v.post_id, v.views
      FROM unnest(${postIds}::int[], ${views}::bigint[]) AS v (post_id, views)
      JOIN posts p ON p.id = v.post_id
      ON CONFLICT (post_id) DO UPDATE SET views = post_stats.views + EXCLUDED.views
      RETURNING post_id
    )
    SELECT p.slug FROM added JOIN posts p ON p.id = added.post_id`;
  return rows.map((row) => String(row.slug));
}

// SQL for post revisions: reads only. Revisions are written by the saves themselves (lib/db/posts.ts), in the same
// statement as the post, so a save and its revision are never apart.
import type { Sql } from '../clients';
import type { Revision, RevisionKind, RevisionSummary } from '../schemas/revision';
import { iso, type Row } from './rows';

const SUMMARY_COLUMNS = `
  r.id, r.post_id, r.kind, r.version, r.title, r.saved_at,
  u.id AS author_id, u.username AS author_username, u.display_name AS author_display_name`;

function rowToSummary(row: Row): RevisionSummary {
  return {
    id: Number(row.id),
    postId: Number(row.post_id),
    kind: row.kind as RevisionKind,
    version: Number(row.version),
    title: String(row.title),
    author:
      row.author_id === null
        ? null
        : {
            id: Number(row.author_id),
            username: String(row.author_username),
            displayName: String(row.author_display_name),
          },
    savedAt: iso(row.saved_at),
  };
}

/** A post's revisions, newest first (at most the policy's number are kept, so no paging). */
export async function listRevisions(sql: Sql, postId: number): Promise<RevisionSummary[]> {
  const rows = await sql`
    SELECT ${sql.unsafe(SUMMARY_COLUMNS)}
    FROM post_revisions r LEFT JOIN users u ON u.id = r.author_id
    WHERE r.post_id = ${postId}
    ORDER BY r.id DESC
    LIMIT 1000`;
  return rows.map(rowToSummary);
}

export async function getRevision(sql: Sql, postId: number, revisionId: number): Promise<Revision | null> {
  const rows = await sql`
    SELECT ${sql.unsafe(SUMMARY_COLUMNS)}, r.body_md, r.excerpt
    FROM post_revisions r LEFT JOIN users u ON u.id = r.author_id
    WHERE r.post_id = ${postId} AND r.id = ${revisionId}`;
  const row = rows[0];
  if (!row) return null;
  return {
    ...rowToSummary(row),
    markdown: String(row.body_md),
    excerpt: row.excerpt === null ? null : String(row.excerpt),
  };
}

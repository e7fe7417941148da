// SQL for reactions: one row per reader, post and kind, so a toggle is an idempotent insert or delete and the
// counts are always a count of rows (never a counter that concurrent toggles could drift).
import type { Sql } from '../clients';
import type { ReactionCounts, ReactionKind } from '../schemas/comment';
import type { Row } from './rows';

const COUNTS = (sql: Sql, postId: number) => sql`
  SELECT count(*) FILTER (WHERE kind = 'like')::int AS "like",
         count(*) FILTER (WHERE kind = 'insightful')::int AS insightful,
         count(*) FILTER (WHERE kind = 'celebrate')::int AS celebrate
  FROM reactions WHERE post_id = ${postId}`;

function rowToCounts(row: Row | undefined): ReactionCounts {
  return {
    like: Number(row?.like ?? 0),
    insightful: Number(row?.insightful ?? 0),
    celebrate: Number(row?.celebrate ?? 0),
  };
}

/** Adds (on) or removes (off) the reader's reaction and returns the post's counts after it, in one transaction. */
export async function setReaction(
  sql: Sql,
  { postId, userId, kind, on }: { postId: number; userId: number; kind: ReactionKind; on: boolean },
): Promise<ReactionCounts> {
  const write = on
    ? sql`INSERT INTO reactions (post_id, user_id, kind) VALUES (${postId}, ${userId}, ${kind}) ON CONFLICT DO NOTHING`
    : sql`DELETE FROM reactions WHERE post_id = ${postId} AND user_id = ${userId} AND kind = ${kind}`;
  const [, counts] = await sql.transaction([write, COUNTS(sql, postId)]);
  return rowToCounts((counts as Row[])[0]);
}

// SQL for comments: the only place that knows the comments table. A thread page is one transaction (the page of
// top-level comments with all their replies, and the visible total), so a page costs one round trip.
import type { Sql } from '../clients';
import { decodeCursor, encodeCursor } from '../pagination';
import type { CommentStatus } from '../schemas/comment';
import { readBatch, type BatchPart } from './batch';
import type { PostRef } from './posts';
import { iso, isoOrNull, type Row } from './rows';

/** A comment row as the thread builder needs it (lib/comments.ts decides what readers see). */
export interface CommentRow {
  id: number;
  postId: number;
  parentId: number | null;
  author: { id: number; username: string; displayName: string } | null;
  authorDisabled: boolean;
  markdown: string;
  html: string;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
}

// The author (users u, left-joined: a deleted user's comments stay) and the keyset sort key every listing carries.
const AUTHOR_AND_SORT_COLUMNS = `
  u.id AS author_id, u.username AS author_username, u.display_name AS author_display_name,
  coalesce(u.disabled, false) AS author_disabled,
  to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key_text`;

/** The author from AUTHOR_AND_SORT_COLUMNS; null once their account is deleted. */
function authorOf(row: Row): { id: number; username: string; displayName: string } | null {
  if (row.author_id === null) return null;
  return {
    id: Number(row.author_id),
    username: String(row.author_username),
    displayName: String(row.author_display_name),
  };
}

const COLUMNS = `c.id, c.post_id, c.parent_id, c.body_md, c.body_html, c.status, c.created_at, c.updated_at,
  ${AUTHOR_AND_SORT_COLUMNS}`;

function rowToComment(row: Row): CommentRow {
  return {
    id: Number(row.id),
    postId: Number(row.post_id),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    author: authorOf(row),
    authorDisabled: Boolean(row.author_disabled),
    markdown: String(row.body_md),
    html: String(row.body_html),
    status: row.status as CommentStatus,
    createdAt: iso(row.created_at),
    editedAt: isoOrNull(row.updated_at),
  };
}

export interface ThreadRows {
  /** Top-level comments of this page (oldest first), then their replies. */
  rows: CommentRow[];
  nextCursor: string | null;
  /** Published comments by enabled users on the whole post. */
  total: number;
}

/** One keyset page of a published post's top-level comments, oldest first, with every reply; null without the post. */
export async function listThread(
  sql: Sql,
  post: PostRef,
  page: { limit: number; cursor?: string },
): Promise<ThreadRows | null> {
  const [thread] = await readBatch(sql, threadPart(sql, post, page));
  return thread;
}

/** listThread as part of a batch (lib/db/batch.ts). */
export function threadPart(
  sql: Sql,
  ref: PostRef,
  { limit, cursor }: { limit: number; cursor?: string },
): BatchPart<ThreadRows | null> {
  const after = cursor ? decodeCursor(cursor, 'time') : null;
  const bound = after ? sql`AND (c.created_at, c.id) > (${after.key}::timestamptz, ${after.id}::int)` : sql``;
  const post =
    'id' in ref
      ? sql`(SELECT id FROM posts WHERE id = ${ref.id} AND status = 'published' AND type = 'post')`
      : sql`(SELECT id FROM posts WHERE slug = ${ref.slug} AND status = 'published' AND type = 'post')`;
  return {
    queries: [
      // The post's id (null without it) and the visible total, in one statement: one fewer for Postgres to run on
      // every page miss.
      sql`
        SELECT me.id, (
          SELECT count(*)::int FROM comments c JOIN users u ON u.id = c.author_id
          WHERE c.post_id = me.id AND c.status = 'published' AND NOT u.disabled
        ) AS n
        FROM (SELECT ${post} AS id) me`,
      sql`
        WITH top AS (
          SELECT c.id FROM comments c
          WHERE c.post_id = ${post} AND c.parent_id IS NULL ${bound}
          ORDER BY c.created_at, c.id
          LIMIT ${limit + 1}
        )
        SELECT ${sql.unsafe(COLUMNS)}
        FROM comments c LEFT JOIN users u ON u.id = c.author_id
        WHERE c.id IN (SELECT id FROM top) OR c.parent_id IN (SELECT id FROM top)
        ORDER BY c.created_at, c.id`,
    ],
    decode([postRows, pageRows]) {
      const found = postRows?.[0];
      if (found?.id == null) return null;
      const all = (pageRows ?? []).map((row) => ({ row, comment: rowToComment(row) }));
      const tops = all.filter(({ comment }) => comment.parentId === null);
      const kept = new Set(tops.slice(0, limit).map(({ comment }) => comment.id));
      const last = tops[limit - 1];
      return {
        rows: all.map(({ comment }) => comment).filter((comment) => kept.has(comment.parentId ?? comment.id)),
        nextCursor:
          tops.length > limit && last
            ? encodeCursor({ key: String(last.row.sort_key_text), id: last.comment.id })
            : null,
        total: Number(found.n ?? 0),
      };
    },
  };
}

export async function getComment(sql: Sql, id: number): Promise<(CommentRow & { postSlug: string }) | null> {
  const rows = await sql`
    SELECT ${sql.unsafe(COLUMNS)}, p.slug AS post_slug
    FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN users u ON u.id = c.author_id
    WHERE c.id = ${id}`;
  const row = rows[0] as Row | undefined;
  return row ? { ...rowToComment(row), postSlug: String(row.post_slug) } : null;
}

export interface NewComment {
  postId: number;
  parentId: number | null;
  authorId: number;
  authorName: string;
  markdown: string;
  html: string;
  /** The same author's identical comment on the post within this window is a duplicate. */
  duplicateWindowSeconds: number;
  /** Hold the comment for moderation (hidden) when its author has no published comment yet. */
  holdFirstComment?: boolean;
}

export type InsertCommentOutcome =
  | { status: 'inserted'; id: number }
  | { status: 'duplicate' }
  /** The parent is not a visible top-level comment of this post. */
  | { status: 'bad_parent' };

/** Checks the parent and the duplicate rule and inserts, in one statement (no window between check and insert). */
export async function insertComment(sql: Sql, c: NewComment): Promise<InsertCommentOutcome> {
  const rows = await sql`
    WITH parent_ok AS (
      SELECT ${c.parentId}::int IS NULL
          OR EXISTS (SELECT 1 FROM comments WHERE id = ${c.parentId}::int AND post_id = ${c.postId}
                     AND parent_id IS NULL AND status = 'published') AS ok
    ), duplicate AS (
      SELECT EXISTS (SELECT 1 FROM comments WHERE author_id = ${c.authorId} AND post_id = ${c.postId}
                     AND body_md = ${c.markdown} AND status <> 'deleted'
                     AND created_at > now() - ${c.duplicateWindowSeconds}::int * interval '1 second') AS dup
    ), inserted AS (
      INSERT INTO comments (post_id, parent_id, author_id, author_name, body_md, body_html, status)
      SELECT ${c.postId}, ${c.parentId}::int, ${c.authorId}, ${c.authorName}, ${c.markdown}, ${c.html},
        CASE WHEN ${c.holdFirstComment ?? false}::boolean
               AND NOT EXISTS (SELECT 1 FROM comments WHERE author_id = ${c.authorId} AND status = 'published')
             THEN 'hidden' ELSE 'published' END
      WHERE (SELECT ok FROM parent_ok) AND NOT (SELECT dup FROM duplicate)
      RETURNING id
    )
    SELECT (SELECT id FROM inserted) AS id, (SELECT ok FROM parent_ok) AS parent_ok, (SELECT dup FROM duplicate) AS dup`;
  const row = rows[0] as Row;
  if (row.id !== null) return { status: 'inserted', id: Number(row.id) };
  if (!row.parent_ok) return { status: 'bad_parent' };
  return { status: 'duplicate' };
}

export async function updateCommentBody(sql: Sql, id: number, markdown: string, html: string): Promise<void> {
  await sql`UPDATE comments SET body_md = ${markdown}, body_html = ${html}, updated_at = now() WHERE id = ${id}`;
}

/** A comment's markdown and the HTML rendered from it last (`npm run db:rerender` compares a fresh rendering). */
export interface CommentSource {
  id: number;
  markdown: string;
  html: string;
}

/** Every comment after `afterId`, a page at a time in id order, whatever its status. */
export async function listCommentSources(sql: Sql, afterId: number, limit: number): Promise<CommentSource[]> {
  const rows = await sql`
    SELECT id, body_md, body_html FROM comments WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`;
  return rows.map((row) => ({ id: Number(row.id), markdown: String(row.body_md), html: String(row.body_html) }));
}

/** Stores a fresh rendering of unchanged markdown; updated_at stays, since it tells readers the author edited it. */
export async function saveRenderedComment(sql: Sql, id: number, html: string): Promise<void> {
  await sql`UPDATE comments SET body_html = ${html} WHERE id = ${id}`;
}

export async function setCommentStatus(sql: Sql, id: number, status: CommentStatus): Promise<void> {
  await sql`UPDATE comments SET status = ${status} WHERE id = ${id}`;
}

/** A comment as the moderation queue lists it: its post, author, status and the start of its text. */
export interface QueuedComment {
  id: number;
  parentId: number | null;
  post: { id: number; slug: string; title: string; status: string };
  /** Null when the account is gone; `authorName` is the name the comment was posted under. */
  author: { id: number; username: string; displayName: string; disabled: boolean } | null;
  authorName: string;
  /** The first QUEUE_TEXT_CHARS characters of the markdown. */
  text: string;
  status: Exclude<CommentStatus, 'deleted'>;
  createdAt: string;
}

/** How much of each comment's markdown the queue reads: enough for an excerpt, never a 10 KB body per row. */
const QUEUE_TEXT_CHARS = 400;

const QUEUE_COLUMNS = `c.id, c.parent_id, left(c.body_md, ${QUEUE_TEXT_CHARS}) AS text, c.status, c.created_at,
  c.author_name, p.id AS post_id, p.slug AS post_slug, p.title AS post_title, p.status AS post_status,
  ${AUTHOR_AND_SORT_COLUMNS}`;

function rowToQueued(row: Row): QueuedComment {
  const author = authorOf(row);
  return {
    id: Number(row.id),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    post: {
      id: Number(row.post_id),
      slug: String(row.post_slug),
      title: String(row.post_title),
      status: String(row.post_status),
    },
    author: author && { ...author, disabled: Boolean(row.author_disabled) },
    authorName: String(row.author_name),
    text: String(row.text),
    status: row.status as QueuedComment['status'],
    createdAt: iso(row.created_at),
  };
}

/**
 * One keyset page of every post's comments, newest first, for moderators: published and hidden ones (deleted
 * comments are gone for them too), or only those of one status.
 */
export async function listRecentComments(
  sql: Sql,
  { status, limit, cursor }: { status?: 'published' | 'hidden'; limit: number; cursor?: string },
): Promise<{ items: QueuedComment[]; nextCursor: string | null }> {
  const before = cursor ? decodeCursor(cursor, 'time') : null;
  const bound = before ? sql`AND (c.created_at, c.id) < (${before.key}::timestamptz, ${before.id}::int)` : sql``;
  const only = status ? sql`AND c.status = ${status}` : sql`AND c.status <> 'deleted'`;
  const rows = (await sql`
    SELECT ${sql.unsafe(QUEUE_COLUMNS)}
    FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN users u ON u.id = c.author_id
    WHERE TRUE ${only} ${bound}
    ORDER BY c.created_at DESC, c.id DESC
    LIMIT ${limit + 1}`) as Row[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(rowToQueued),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ key: String(last.sort_key_text), id: Number(last.id) }) : null,
  };
}

/** One comment as the queue shows it (for the delete confirmation); null when it is missing or deleted. */
export async function getQueuedComment(sql: Sql, id: number): Promise<QueuedComment | null> {
  const rows = (await sql`
    SELECT ${sql.unsafe(QUEUE_COLUMNS)}
    FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN users u ON u.id = c.author_id
    WHERE c.id = ${id} AND c.status <> 'deleted'`) as Row[];
  return rows[0] ? rowToQueued(rows[0]) : null;
}

/** Comments (not deleted) posted since the given time: the dashboard's "recent comments" figure. */
export async function countCommentsSince(sql: Sql, since: Date): Promise<number> {
  const rows = await sql`
    SELECT count(*)::int AS n FROM comments WHERE created_at > ${since.toISOString()}::timestamptz AND status <> 'deleted'`;
  return Number(rows[0]?.n ?? 0);
}

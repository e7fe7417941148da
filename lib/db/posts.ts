// SQL for posts: the only place that knows the posts, post_tags and tags tables' columns.
import type { Sql } from '../clients';
import { PUBLIC_TAG } from './tags';
import { decodeCursor, encodeCursor, type SortKind } from '../pagination';
import type { Post, PostPage, PostStatus, PostSummary, PostType, PostView } from '../schemas/post';
import type { RevisionKind } from '../schemas/revision';
import type { BatchPart } from './batch';
import { iso, isoOrNull, type Row } from './rows';

// Author and tags come back with the post in the same round trip; never a query per row.
const SUMMARY_COLUMNS = `
  p.id, p.slug, p.title, p.excerpt, p.status, p.published_at, p.reading_minutes,
  u.id AS author_id, u.username AS author_username, u.display_name AS author_display_name,
  coalesce((SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name)
            FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id), '[]'::json) AS tags`;

// Reaction counts and flushed views ride along with the post (one round trip; the post's cache entry holds them).
// The page's columns leave out the markdown source: as long as the HTML, and a page never shows it.
const VIEW_COLUMNS = `${SUMMARY_COLUMNS},
  p.type, p.body_html, p.toc, p.version, p.created_at, p.updated_at, p.excerpt_custom,
  (SELECT json_build_object('like', count(*) FILTER (WHERE r.kind = 'like'),
                            'insightful', count(*) FILTER (WHERE r.kind = 'insightful'),
                            'celebrate', count(*) FILTER (WHERE r.kind = 'celebrate'))
   FROM reactions r WHERE r.post_id = p.id) AS reactions,
  coalesce((SELECT ps.views FROM post_stats ps WHERE ps.post_id = p.id), 0)::float8 AS views`;
const DETAIL_COLUMNS = `${VIEW_COLUMNS}, p.body_md, p.email_subscribers`;

function rowToSummary(row: Row): PostSummary {
  return {
    id: Number(row.id),
    slug: String(row.slug),
    title: String(row.title),
    excerpt: String(row.excerpt),
    status: row.status as PostStatus,
    publishedAt: isoOrNull(row.published_at),
    readingMinutes: Number(row.reading_minutes),
    author: {
      id: Number(row.author_id),
      username: String(row.author_username),
      displayName: String(row.author_display_name),
    },
    tags: row.tags as PostSummary['tags'],
  };
}

function rowToPost(row: Row): Post {
  return { ...rowToPostView(row), markdown: String(row.body_md), emailSubscribers: row.email_subscribers === true };
}

function rowToPostView(row: Row): PostView {
  return {
    ...rowToSummary(row),
    type: row.type as PostType,
    excerptCustom: row.excerpt_custom === true,
    html: String(row.body_html),
    toc: row.toc as Post['toc'],
    version: Number(row.version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    reactions: row.reactions as Post['reactions'],
    views: Number(row.views),
  };
}

export interface PostFilter {
  status: PostStatus;
  limit: number;
  cursor?: string;
  /** Tag slug. */
  tag?: string;
  /** Author username. */
  author?: string;
  /** Restricts to one author's posts (an author listing their own drafts). */
  authorId?: number;
  /** Full-text query (websearch syntax); results are ranked instead of sorted by date. */
  q?: string;
}

type Fragment = ReturnType<Sql>;

function allOf(sql: Sql, conditions: Fragment[]): Fragment {
  return conditions.reduce((joined, next) => sql`${joined} AND ${next}`);
}

/**
 * One query per page whatever the filters: keyset on (sort key, id), so every page costs the same however deep.
 * Published and scheduled posts sort by publication time, drafts by creation, searches by rank.
 */
export async function listPosts(sql: Sql, filter: PostFilter): Promise<PostPage> {
  const part = listPostsPart(sql, filter);
  return part.decode([await part.queries[0]!]);
}

/** listPosts as part of a batch (lib/db/batch.ts): a page that shows other things reads them in the same round trip. */
export function listPostsPart(sql: Sql, filter: PostFilter): BatchPart<PostPage> {
  const part = listPostRowsPart(sql, filter);
  return { queries: part.queries, decode: (results) => postPageOf(part.decode(results), filter.limit) };
}

/**
 * The rows of listPosts, for a page whose size is only known with the batch's other answers (the settings' posts
 * per page): fetch the largest size, then cut with postPageOf.
 */
export function listPostRowsPart(sql: Sql, filter: PostFilter): BatchPart<Row[]> {
  const kind: SortKind = filter.q ? 'rank' : 'time';
  const after = filter.cursor ? decodeCursor(filter.cursor, kind) : null;
  const tsQuery = filter.q ? sql`websearch_to_tsquery('english', ${filter.q})` : null;
  const sortKey = tsQuery
    ? sql`ts_rank(p.search, ${tsQuery})`
    : sql.unsafe(filter.status === 'draft' ? 'p.created_at' : 'p.published_at');

  // Pages (type 'page') are never in a list of posts: not on the home page, archive, tag or author pages, search.
  const conditions: Fragment[] = [sql`p.type = 'post'`, sql`p.status = ${filter.status}`];
  if (filter.tag) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id AND t.slug = ${filter.tag})`,
    );
  }
  if (filter.author) conditions.push(sql`lower(u.username) = lower(${filter.author})`);
  if (filter.authorId !== undefined) conditions.push(sql`p.author_id = ${filter.authorId}`);
  if (tsQuery) conditions.push(sql`p.search @@ ${tsQuery}`);
  if (after) {
    const bound = kind === 'rank' ? sql`${after.key}::real` : sql`${after.key}::timestamptz`;
    conditions.push(sql`(${sortKey}, p.id) < (${bound}, ${after.id}::int)`);
  }

  // Time keys travel as exact text (microseconds included); a JS Date would round them to milliseconds.
  const sortKeyText =
    kind === 'rank'
      ? sql`${sortKey}::text`
      : sql`to_char(${sortKey} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const query = sql`
    SELECT ${sql.unsafe(SUMMARY_COLUMNS)}, ${sortKey} AS sort_key, ${sortKeyText} AS sort_key_text
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE ${allOf(sql, conditions)}
    ORDER BY sort_key DESC, p.id DESC
    LIMIT ${filter.limit + 1}`;
  return { queries: [query], decode: ([rows]) => rows ?? [] };
}

/** The first `limit` of listPosts' rows as a page, with the cursor after the last one shown. */
export function postPageOf(rows: Row[], limit: number): PostPage {
  const items = rows.slice(0, limit).map(rowToSummary);
  const last = rows[limit - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ key: String(last.sort_key_text), id: Number(last.id) }) : null;
  return { items, nextCursor };
}

/** The newest published posts: the home page and the cache warmer. */
export function listPublishedPosts(sql: Sql, { limit, cursor }: { limit: number; cursor?: string }): Promise<PostPage> {
  return listPosts(sql, { status: 'published', limit, cursor });
}

/** A post or page by slug; with `type`, only one of that type (a page is never read as a post, nor the reverse). */
export async function getPostBySlug(sql: Sql, slug: string, type?: PostType): Promise<Post | null> {
  const rows = await sql`
    SELECT ${sql.unsafe(DETAIL_COLUMNS)}
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.slug = ${slug} AND (${type ?? null}::text IS NULL OR p.type = ${type ?? null})`;
  return rows[0] ? rowToPost(rows[0]) : null;
}

/** A post (or, with `type`, a page) as its page shows it (no markdown source), as part of a batch (lib/db/batch.ts). */
export function postViewPart(sql: Sql, slug: string, type: PostType = 'post'): BatchPart<PostView | null> {
  return {
    queries: [
      sql`SELECT ${sql.unsafe(VIEW_COLUMNS)} FROM posts p JOIN users u ON u.id = p.author_id
          WHERE p.slug = ${slug} AND p.type = ${type}`,
    ],
    decode: ([rows]) => (rows?.[0] ? rowToPostView(rows[0]) : null),
  };
}

/** How a caller names a post: the API by id, pages (and the API's slug lookup) by slug. */
export type PostRef = { id: number } | { slug: string };

/** A published post's id and slug by its id; null when there is no such published post. */
export async function getPublishedPostRef(sql: Sql, id: number): Promise<{ id: number; slug: string } | null> {
  const rows = await sql`SELECT id, slug FROM posts WHERE id = ${id} AND status = 'published' AND type = 'post'`;
  return rows[0] ? { id: Number(rows[0].id), slug: String(rows[0].slug) } : null;
}

export async function getPostById(sql: Sql, id: number): Promise<Post | null> {
  const rows = await sql`
    SELECT ${sql.unsafe(DETAIL_COLUMNS)}
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.id = ${id}`;
  return rows[0] ? rowToPost(rows[0]) : null;
}

/** Published posts sharing the most tags with the given one, most shared first. */
export async function listRelatedPosts(sql: Sql, postId: number, limit: number): Promise<PostSummary[]> {
  const rows = await sql`
    SELECT ${sql.unsafe(SUMMARY_COLUMNS)}, count(*) AS shared
    FROM post_tags mine
    JOIN post_tags theirs ON theirs.tag_id = mine.tag_id AND theirs.post_id <> mine.post_id
    JOIN posts p ON p.id = theirs.post_id
    JOIN users u ON u.id = p.author_id
    WHERE mine.post_id = ${postId} AND p.status = 'published' AND p.type = 'post'
    GROUP BY p.id, u.id
    ORDER BY shared DESC, p.published_at DESC, p.id DESC
    LIMIT ${limit}`;
  return rows.map(rowToSummary);
}

export interface PostContext {
  /** Published posts sharing the most tags with this one. */
  related: PostSummary[];
  /** The next older published post. */
  previous: PostSummary | null;
  /** The next newer published post. */
  next: PostSummary | null;
}

/**
 * A published post's related posts and neighbours, as part of a batch: looked up by slug, so they are read beside the
 * post itself rather than after it. Empty for a slug that is not published (the batch's post part says which).
 */
export function postContextPart(sql: Sql, slug: string, relatedLimit: number): BatchPart<PostContext> {
  return {
    queries: [
      sql`
        WITH me AS (SELECT id FROM posts WHERE slug = ${slug} AND status = 'published' AND type = 'post')
        SELECT ${sql.unsafe(SUMMARY_COLUMNS)}, count(*) AS shared
        FROM post_tags mine
        JOIN post_tags theirs ON theirs.tag_id = mine.tag_id AND theirs.post_id <> mine.post_id
        JOIN posts p ON p.id = theirs.post_id
        JOIN users u ON u.id = p.author_id
        WHERE mine.post_id = (SELECT id FROM me) AND p.status = 'published' AND p.type = 'post'
        GROUP BY p.id, u.id
        ORDER BY shared DESC, p.published_at DESC, p.id DESC
        LIMIT ${relatedLimit}`,
      // Both neighbours in one statement: one fewer for Postgres to run on every page miss.
      sql`
        WITH me AS (SELECT id, published_at FROM posts WHERE slug = ${slug} AND status = 'published' AND type = 'post')
        (SELECT 'previous' AS side, ${sql.unsafe(SUMMARY_COLUMNS)} FROM posts p JOIN users u ON u.id = p.author_id, me
         WHERE p.status = 'published' AND p.type = 'post' AND (p.published_at, p.id) < (me.published_at, me.id)
         ORDER BY p.published_at DESC, p.id DESC LIMIT 1)
        UNION ALL
        (SELECT 'next' AS side, ${sql.unsafe(SUMMARY_COLUMNS)} FROM posts p JOIN users u ON u.id = p.author_id, me
         WHERE p.status = 'published' AND p.type = 'post' AND (p.published_at, p.id) > (me.published_at, me.id)
         ORDER BY p.published_at ASC, p.id ASC LIMIT 1)`,
    ],
    decode([related, neighbours]) {
      const side = (name: string) => neighbours?.find((row) => row.side === name);
      const previous = side('previous');
      const next = side('next');
      return {
        related: (related ?? []).map(rowToSummary),
        previous: previous ? rowToSummary(previous) : null,
        next: next ? rowToSummary(next) : null,
      };
    },
  };
}

export interface NewPost {
  slug: string;
  title: string;
  markdown: string;
  html: string;
  toc: Post['toc'];
  excerpt: string;
  /** The excerpt is the writer's own, kept when the body changes (default: derived from the body). */
  excerptCustom?: boolean;
  readingMinutes: number;
  status: PostStatus;
  publishedAt: string | null;
  authorId: number;
  tags: { slug: string; name: string }[];
  /** Keys of stored images the markdown links to; recorded so an image is never swept while a post shows it. */
  media?: string[];
  /** When it was first written, if not now (an imported draft keeps its date). */
  createdAt?: string;
  /** A post (the default) or a page. */
  type?: PostType;
  /** An imported post: the export item it came from and its old addresses (lib/importers/), saved with it. */
  origin?: PostOrigin;
  /** Mail it to subscribers at its first publish (default true); on an update, omitted leaves it as it is. */
  emailSubscribers?: boolean;
}

export interface PostOrigin {
  source: 'ghost' | 'wordpress';
  sourceId: string;
  /** Old paths, as the redirect table keys them; one already taken by another post is left to that post. */
  formerPaths: string[];
}

/** Who saved, how, and when: the revision a save keeps (lib/revisions.ts decides the policy's numbers). */
export interface RevisionStamp {
  authorId: number;
  kind: RevisionKind;
  /** The save's time (ISO); the coalescing window is measured against it. */
  at: string;
  /** An autosave within this many seconds of the start of the writer's previous autosave replaces it. */
  coalesceSeconds: number;
  /** The most revisions a post keeps; the oldest autosaves go first, then the oldest saves. */
  keep: number;
}

/**
 * Inserts a post and its tags (creating missing tags) in one statement, so a half-tagged post never exists. Its first
 * revision is written by the same statement.
 */
export async function insertPost(sql: Sql, post: NewPost): Promise<{ id: number; slug: string }> {
  const rows = await sql`
    WITH new_post AS (
      INSERT INTO posts (slug, title, body_md, body_html, toc, excerpt, excerpt_custom, reading_minutes, status,
                         published_at, author_id, created_at, type, email_subscribers)
      VALUES (${post.slug}, ${post.title}, ${post.markdown}, ${post.html}, ${JSON.stringify(post.toc)}::jsonb,
              ${post.excerpt}, ${post.excerptCustom ?? false}, ${post.readingMinutes}, ${post.status},
              ${post.publishedAt}::timestamptz, ${post.authorId}, coalesce(${post.createdAt ?? null}::timestamptz, now()),
              ${post.type ?? 'post'}, ${post.emailSubscribers ?? true})
      RETURNING id, slug, author_id, version, title, body_md, CASE WHEN excerpt_custom THEN excerpt END AS own_excerpt
    ), first_revision AS (
      INSERT INTO post_revisions (post_id, author_id, kind, version, title, body_md, excerpt)
      SELECT id, author_id, 'save', version, title, body_md, own_excerpt FROM new_post
    ), wanted AS (
      SELECT * FROM unnest(${post.tags.map((t) => t.slug)}::text[], ${post.tags.map((t) => t.name)}::text[]) AS w (slug, name)
    ), all_tags AS (
      -- DO UPDATE (a no-op) instead of DO NOTHING: it returns the existing row even when another transaction
      -- created it after this statement's snapshot, which a separate SELECT could not see.
      INSERT INTO tags (slug, name) SELECT slug, name FROM wanted
      ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug
      RETURNING id
    ), linked AS (
      INSERT INTO post_tags (post_id, tag_id) SELECT new_post.id, all_tags.id FROM new_post, all_tags
    ), linked_media AS (
      -- Links to images that were never uploaded here (an imported post's, say) are not recorded.
      INSERT INTO post_media (post_id, media_key)
      SELECT new_post.id, m.key FROM new_post, media m WHERE m.key = ANY(${post.media ?? []}::text[])
    ), origin AS (
      -- In the same statement as the post, so an import that stops half way never leaves a post it cannot find again.
      INSERT INTO imported_posts (source, source_id, post_id)
      SELECT ${post.origin?.source ?? null}::text, ${post.origin?.sourceId ?? null}::text, new_post.id
      FROM new_post WHERE ${post.origin?.source ?? null}::text IS NOT NULL
    ), former_paths AS (
      INSERT INTO redirects (path, post_id)
      SELECT path, new_post.id FROM new_post, unnest(${post.origin?.formerPaths ?? []}::text[]) AS path
      ON CONFLICT (path) DO NOTHING
    )
    SELECT id, slug FROM new_post`;
  const row = rows[0] as Row;
  return { id: Number(row.id), slug: String(row.slug) };
}

export type PostChanges = Omit<NewPost, 'authorId' | 'createdAt' | 'origin' | 'type'>;

/**
 * Writes a full new state of the post, guarded by the version the writer read: when someone else saved first,
 * nothing changes and null comes back. Tags are replaced (missing ones created) in the same statement, and so is
 * the revision the save keeps: no extra round trip, and never a save without its revision.
 */
export async function updatePost(
  sql: Sql,
  id: number,
  expectedVersion: number,
  post: PostChanges,
  revision: RevisionStamp,
): Promise<{ id: number; slug: string; version: number } | null> {
  const at = sql`${revision.at}::timestamptz`;
  const rows = await sql`
    WITH updated AS (
      UPDATE posts SET
        slug = ${post.slug}, title = ${post.title}, body_md = ${post.markdown}, body_html = ${post.html},
        toc = ${JSON.stringify(post.toc)}::jsonb, excerpt = ${post.excerpt},
        excerpt_custom = ${post.excerptCustom ?? false}, reading_minutes = ${post.readingMinutes},
        status = ${post.status}, published_at = ${post.publishedAt}::timestamptz,
        email_subscribers = coalesce(${post.emailSubscribers ?? null}::boolean, email_subscribers),
        version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ${expectedVersion}
      RETURNING id, slug, version, title, body_md, CASE WHEN excerpt_custom THEN excerpt END AS own_excerpt
    ), latest AS (
      SELECT r.id, r.kind, r.author_id, r.window_started_at FROM post_revisions r
      WHERE r.post_id IN (SELECT id FROM updated) ORDER BY r.id DESC LIMIT 1
    ), replaced AS (
      -- An autosave replaces the writer's previous autosave while that one's window is open (coalescing).
      UPDATE post_revisions r SET version = updated.version, title = updated.title, body_md = updated.body_md,
        excerpt = updated.own_excerpt, saved_at = ${at}
      FROM updated, latest
      WHERE r.id = latest.id AND ${revision.kind}::text = 'autosave' AND latest.kind = 'autosave'
        AND latest.author_id = ${revision.authorId}
        AND latest.window_started_at > ${at} - ${revision.coalesceSeconds}::int * interval '1 second'
      RETURNING r.id
    ), added AS (
      INSERT INTO post_revisions (post_id, author_id, kind, version, title, body_md, excerpt, window_started_at, saved_at)
      SELECT id, ${revision.authorId}, ${revision.kind}, version, title, body_md, own_excerpt, ${at}, ${at}
      FROM updated WHERE NOT EXISTS (SELECT 1 FROM replaced)
      RETURNING id
    ), pruned AS (
      -- The new row is not visible to this statement: keep one fewer of the old ones. Oldest autosaves go first.
      DELETE FROM post_revisions WHERE EXISTS (SELECT 1 FROM added) AND id IN (
        SELECT r.id FROM post_revisions r WHERE r.post_id IN (SELECT id FROM updated)
        ORDER BY r.kind <> 'autosave', r.id
        LIMIT greatest(0, (SELECT count(*) FROM post_revisions r WHERE r.post_id IN (SELECT id FROM updated))
                          + 1 - ${revision.keep}::int))
    ), wanted AS (
      SELECT * FROM unnest(${post.tags.map((t) => t.slug)}::text[], ${post.tags.map((t) => t.name)}::text[]) AS w (slug, name)
      WHERE EXISTS (SELECT 1 FROM updated)
    ), all_tags AS (
      -- A no-op DO UPDATE returns existing tags too, including ones committed after this statement began.
      INSERT INTO tags (slug, name) SELECT slug, name FROM wanted
      ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug
      RETURNING id
    ), unlinked AS (
      DELETE FROM post_tags WHERE post_id IN (SELECT id FROM updated) AND tag_id NOT IN (SELECT id FROM all_tags)
    ), linked AS (
      INSERT INTO post_tags (post_id, tag_id) SELECT updated.id, all_tags.id FROM updated, all_tags
      ON CONFLICT DO NOTHING
    ), unlinked_media AS (
      DELETE FROM post_media
      WHERE post_id IN (SELECT id FROM updated) AND NOT (media_key = ANY(${post.media ?? []}::text[]))
    ), linked_media AS (
      INSERT INTO post_media (post_id, media_key)
      SELECT updated.id, m.key FROM updated, media m WHERE m.key = ANY(${post.media ?? []}::text[])
      ON CONFLICT DO NOTHING
    )
    SELECT id, slug, version FROM updated`;
  const row = rows[0];
  return row ? { id: Number(row.id), slug: String(row.slug), version: Number(row.version) } : null;
}

export async function deletePost(sql: Sql, id: number): Promise<{ slug: string } | null> {
  const rows = await sql`DELETE FROM posts WHERE id = ${id} RETURNING slug`;
  return rows[0] ? { slug: String(rows[0].slug) } : null;
}

/** Flips scheduled posts whose time has come to published; returns what the announcement of each needs. */
export async function publishDuePosts(
  sql: Sql,
  now: Date = new Date(),
): Promise<{ id: number; type: PostType; slug: string; title: string; status: 'published'; publishedAt: string }[]> {
  const rows = await sql`
    UPDATE posts SET status = 'published', version = version + 1, updated_at = now()
    WHERE status = 'scheduled' AND published_at <= ${now.toISOString()}::timestamptz
    RETURNING id, type, slug, title, published_at`;
  return rows.map((row) => ({
    id: Number(row.id),
    type: row.type as PostType,
    slug: String(row.slug),
    title: String(row.title),
    status: 'published' as const,
    publishedAt: iso(row.published_at),
  }));
}

/** What a feed covers: the whole site, one tag (by slug) or one author (by username). */
export type FeedScope = { kind: 'site' } | { kind: 'tag'; slug: string } | { kind: 'author'; username: string };

export interface FeedSource {
  /** The tag's or author's display name; the site's feed has none. */
  subject: { name: string; key: string } | null;
  posts: (PostSummary & { html: string; updatedAt: string })[];
}

/**
 * The newest published posts of a feed, with full HTML, and the tag or author it is about, as part of a batch.
 * Null when the tag or author is not public (unknown, draft-only tag, reader or disabled account).
 */
export function feedPart(sql: Sql, scope: FeedScope, limit: number): BatchPart<FeedSource | null> {
  const columns = sql.unsafe(`${SUMMARY_COLUMNS}, p.body_html, p.updated_at`);
  const order = sql`ORDER BY p.published_at DESC, p.id DESC LIMIT ${limit}`;
  if (scope.kind === 'site') {
    return {
      queries: [
        sql`SELECT ${columns} FROM posts p JOIN users u ON u.id = p.author_id WHERE p.status = 'published' AND p.type = 'post' ${order}`,
      ],
      decode: ([rows]) => ({ subject: null, posts: (rows ?? []).map(rowToFeedPost) }),
    };
  }
  const queries =
    scope.kind === 'tag'
      ? [
          sql`SELECT t.name, t.slug AS key FROM tags t WHERE t.slug = ${scope.slug} AND ${sql.unsafe(PUBLIC_TAG)}`,
          sql`SELECT ${columns} FROM posts p JOIN users u ON u.id = p.author_id
              WHERE p.status = 'published' AND p.type = 'post' AND EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
                WHERE pt.post_id = p.id AND t.slug = ${scope.slug}) ${order}`,
        ]
      : [
          sql`SELECT u.display_name AS name, u.username AS key FROM users u
              WHERE lower(u.username) = lower(${scope.username}) AND NOT u.disabled
                AND (u.role <> 'reader' OR EXISTS (SELECT 1 FROM posts p WHERE p.author_id = u.id AND p.status = 'published' AND p.type = 'post'))`,
          sql`SELECT ${columns} FROM posts p JOIN users u ON u.id = p.author_id
              WHERE p.status = 'published' AND p.type = 'post' AND lower(u.username) = lower(${scope.username}) ${order}`,
        ];
  return {
    queries,
    decode: ([subjects, rows]) => {
      const subject = subjects?.[0];
      if (!subject) return null;
      return {
        subject: { name: String(subject.name), key: String(subject.key) },
        posts: (rows ?? []).map(rowToFeedPost),
      };
    },
  };
}

function rowToFeedPost(row: Row): FeedSource['posts'][number] {
  return { ...rowToSummary(row), html: String(row.body_html), updatedAt: iso(row.updated_at) };
}

export interface SitemapRows {
  posts: { slug: string; updatedAt: string }[];
  /** Published pages, served at `/{slug}`. */
  pages: { slug: string; updatedAt: string }[];
  /** Public tags with published posts, dated by their newest post change. */
  tags: { slug: string; updatedAt: string }[];
  /** Authors with published posts, dated likewise. */
  authors: { username: string; updatedAt: string }[];
}

/** Everything the sitemap lists (up to its 50,000 URLs), in one round trip. */
export async function listSitemapRows(sql: Sql, limit = 45_000): Promise<SitemapRows> {
  const [posts, pages, tags, authors] = await sql.transaction(
    [
      sql`SELECT slug, updated_at FROM posts WHERE status = 'published' AND type = 'post'
          ORDER BY published_at DESC, id DESC LIMIT ${limit}`,
      sql`SELECT slug, updated_at FROM posts WHERE status = 'published' AND type = 'page' ORDER BY slug LIMIT 1000`,
      sql`SELECT t.slug, max(p.updated_at) AS updated_at FROM tags t
          JOIN post_tags pt ON pt.tag_id = t.id JOIN posts p ON p.id = pt.post_id AND p.status = 'published' AND p.type = 'post'
          GROUP BY t.id ORDER BY t.slug LIMIT 2500`,
      sql`SELECT u.username, max(p.updated_at) AS updated_at FROM users u
          JOIN posts p ON p.author_id = u.id AND p.status = 'published' AND p.type = 'post'
          WHERE NOT u.disabled GROUP BY u.id ORDER BY u.username LIMIT 2500`,
    ],
    { readOnly: true },
  );
  return {
    posts: (posts ?? []).map((r) => ({ slug: String(r.slug), updatedAt: iso(r.updated_at) })),
    pages: (pages ?? []).map((r) => ({ slug: String(r.slug), updatedAt: iso(r.updated_at) })),
    tags: (tags ?? []).map((r) => ({ slug: String(r.slug), updatedAt: iso(r.updated_at) })),
    authors: (authors ?? []).map((r) => ({ username: String(r.username), updatedAt: iso(r.updated_at) })),
  };
}

/** A batch of posts' markdown in id order, for re-rendering every post after the renderer changes. */
export interface PostSource {
  id: number;
  markdown: string;
  /** What was rendered from it last, to compare with a fresh rendering. */
  html: string;
  /** Null when the excerpt is the writer's own (a rendering never replaces it). */
  derivedExcerpt: string | null;
  readingMinutes: number;
}

export async function listPostSources(sql: Sql, afterId: number, limit: number): Promise<PostSource[]> {
  const rows = await sql`
    SELECT id, body_md, body_html, CASE WHEN excerpt_custom THEN NULL ELSE excerpt END AS derived_excerpt,
           reading_minutes
    FROM posts WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`;
  return rows.map((row) => ({
    id: Number(row.id),
    markdown: String(row.body_md),
    html: String(row.body_html),
    derivedExcerpt: row.derived_excerpt === null ? null : String(row.derived_excerpt),
    readingMinutes: Number(row.reading_minutes),
  }));
}

/**
 * Stores a fresh rendering of unchanged markdown. The version and updated_at stay: the post's content did not
 * change, so editors' PATCHes stay valid and feeds do not announce an update. A writer's own excerpt stays too.
 */
export async function saveRenderedPost(
  sql: Sql,
  id: number,
  rendered: { html: string; toc: Post['toc']; excerpt: string; readingMinutes: number },
): Promise<void> {
  await sql`
    UPDATE posts SET body_html = ${rendered.html}, toc = ${JSON.stringify(rendered.toc)}::jsonb,
      excerpt = CASE WHEN excerpt_custom THEN excerpt ELSE ${rendered.excerpt} END,
      reading_minutes = ${rendered.readingMinutes}
    WHERE id = ${id}`;
}

export async function listPostSlugsByAuthor(sql: Sql, authorId: number): Promise<string[]> {
  const rows = await sql`SELECT slug FROM posts WHERE author_id = ${authorId}`;
  return rows.map((row) => String(row.slug));
}

export async function countPosts(sql: Sql): Promise<number> {
  const rows = await sql`SELECT count(*)::int AS n FROM posts`;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Every post and page, drafts included, a page at a time: pages, then posts, each in slug order, which is the
 * export's file order (`pages/…` before `posts/…`). Byte order ("C"), so it is the same on every server whatever its
 * locale.
 */
export async function listPostsBySlug(
  sql: Sql,
  { after, limit }: { after?: { type: PostType; slug: string }; limit: number },
): Promise<Post[]> {
  const rows = await sql`
    SELECT ${sql.unsafe(DETAIL_COLUMNS)}
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE (p.type COLLATE "C", p.slug COLLATE "C") > (${after?.type ?? ''}, ${after?.slug ?? ''})
    ORDER BY p.type COLLATE "C", p.slug COLLATE "C"
    LIMIT ${limit}`;
  return rows.map(rowToPost);
}

/** View counts of the given posts (absent ones have none yet). */
export async function getPostViews(sql: Sql, ids: number[]): Promise<Record<number, number>> {
  if (ids.length === 0) return {};
  const rows = await sql`SELECT post_id, views FROM post_stats WHERE post_id = ANY(${ids}::int[])`;
  return Object.fromEntries(rows.map((row) => [Number(row.post_id), Number(row.views)]));
}

/** Pages (About, Contact…), by title: published ones, or every page (the admin's list). Few per site: no paging. */
export async function listPages(sql: Sql, { published }: { published: boolean }): Promise<PostSummary[]> {
  const rows = await sql`
    SELECT ${sql.unsafe(SUMMARY_COLUMNS)}
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.type = 'page' AND (NOT ${published}::boolean OR p.status = 'published')
    ORDER BY p.title, p.id
    LIMIT 1000`;
  return rows.map(rowToSummary);
}

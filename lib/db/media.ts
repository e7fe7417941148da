// SQL for uploaded images: the only place that knows the media and post_media tables' columns.
import type { Sql } from '../clients';
import type { ImageType } from '../images';
import { iso, type Row } from './rows';

export interface MediaRecord {
  key: string;
  contentType: ImageType;
  byteSize: number;
  uploadedBy: number | null;
  createdAt: string;
}

function rowToMedia(row: Row): MediaRecord {
  return {
    key: String(row.key),
    contentType: row.content_type as ImageType,
    byteSize: Number(row.byte_size),
    uploadedBy: row.uploaded_by === null ? null : Number(row.uploaded_by),
    createdAt: iso(row.created_at),
  };
}

/**
 * Records an upload, or bumps the existing record's last upload time (which shields it from the orphan sweep
 * while the uploader writes the post that will show it). `created` says whether the key is new.
 */
export async function recordMedia(
  sql: Sql,
  media: { key: string; contentType: ImageType; byteSize: number; uploadedBy: number },
): Promise<{ media: MediaRecord; created: boolean }> {
  const rows = await sql`
    INSERT INTO media (key, content_type, byte_size, uploaded_by)
    VALUES (${media.key}, ${media.contentType}, ${media.byteSize}, ${media.uploadedBy})
    ON CONFLICT (key) DO UPDATE SET last_uploaded_at = now()
    RETURNING key, content_type, byte_size, uploaded_by, created_at, (xmax = 0) AS created`;
  const row = rows[0] as Row;
  return { media: rowToMedia(row), created: Boolean(row.created) };
}

export async function getMedia(sql: Sql, key: string): Promise<MediaRecord | null> {
  const rows = await sql`SELECT key, content_type, byte_size, uploaded_by, created_at FROM media WHERE key = ${key}`;
  return rows[0] ? rowToMedia(rows[0]) : null;
}

/** The images a post links to, as recorded when it was last saved. */
export async function listPostMediaKeys(sql: Sql, postId: number): Promise<string[]> {
  const rows = await sql`SELECT media_key FROM post_media WHERE post_id = ${postId} ORDER BY media_key`;
  return rows.map((row) => String(row.media_key));
}

/**
 * Deletes the records of images no post, no avatar and neither the site's logo nor icon refers to, last uploaded before `uploadedBefore`, and
 * returns their keys so the caller removes the objects. The conditions are checked in the DELETE itself, so a
 * post saved with one of these images a moment ago keeps it.
 */
export async function deleteOrphanMedia(sql: Sql, uploadedBefore: Date, limit: number): Promise<string[]> {
  const rows = await sql`
    DELETE FROM media m
    WHERE m.key IN (
      SELECT o.key FROM media o
      WHERE o.last_uploaded_at < ${uploadedBefore.toISOString()}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM post_media pm WHERE pm.media_key = o.key)
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_url LIKE '%/media/' || o.key)
        AND NOT EXISTS (SELECT 1 FROM site_settings s
                        WHERE s.settings->>'logo' LIKE '%/media/' || o.key OR s.settings->>'icon' LIKE '%/media/' || o.key)
      ORDER BY o.last_uploaded_at
      LIMIT ${limit})
      AND NOT EXISTS (SELECT 1 FROM post_media pm WHERE pm.media_key = m.key)
    RETURNING m.key`;
  return rows.map((row) => String(row.key));
}

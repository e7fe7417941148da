// Keyset cursors: an opaque, URL-safe token holding the sort key and id of the last row of a page.
// Decoding is strict, because the values go straight into SQL casts: anything Postgres could reject (a 13th month,
// an id past int4, a rank past float4) is refused here as a 400 instead of surfacing as a database error.
import { AppError } from './errors';

/** What the page is sorted by: a timestamp (newest first), a search rank (best first), or the id alone. */
export type SortKind = 'time' | 'rank' | 'id';

export interface Keyset {
  key: string;
  id: number;
}

const MAX_INT4 = 2_147_483_647;
const MAX_FLOAT4 = 3.4e38;
// Microseconds are kept: rows created in one millisecond must not be skipped between pages.
const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,6})?Z$/;

export function encodeCursor(keyset: Keyset): string {
  return btoa(`${keyset.key}|${keyset.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const notOurs = () =>
  new AppError('bad_request', 'The cursor is not one this server issued (or belongs to another query).');

function validTimestamp(key: string): boolean {
  const parts = TIMESTAMP.exec(key);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second));
  // Round-tripping through Date rejects impossible values such as 2026-02-30 or 25:00.
  return (
    year! >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function validKey(kind: SortKind, key: string): boolean {
  if (kind === 'time') return validTimestamp(key);
  if (kind === 'rank')
    return /^[0-9.e+-]{1,30}$/i.test(key) && Number.isFinite(Number(key)) && Math.abs(Number(key)) <= MAX_FLOAT4;
  return key === 'id';
}

export function decodeCursor(cursor: string, kind: SortKind): Keyset {
  let decoded: string;
  try {
    decoded = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    throw notOurs();
  }
  const [key, id, extra] = decoded.split('|');
  const parsedId = Number(id);
  if (!key || extra !== undefined || !/^\d{1,10}$/.test(id ?? '') || parsedId <= 0 || parsedId > MAX_INT4)
    throw notOurs();
  if (!validKey(kind, key)) throw notOurs();
  return { key, id: parsedId };
}

// Keyset cursors: an opaque, URL-safe token holding the sort key and id of the last row of a page.
import { AppError } from './errors';

/** What the page is sorted by: a timestamp (newest first) or a search rank (best first). */
export type SortKind = 'time' | 'rank';

export interface Keyset {
  key: string;
  id: number;
}

export function encodeCursor(keyset: Keyset): string {
  return btoa(`${keyset.key}|${keyset.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const notOurs = () => new AppError('bad_request', 'The cursor is not one this server issued (or belongs to another query).');

export function decodeCursor(cursor: string, kind: SortKind): Keyset {
  let decoded: string;
  try {
    decoded = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    throw notOurs();
  }
  const [key, id, extra] = decoded.split('|');
  const parsedId = Number(id);
  if (!key || extra !== undefined || !Number.isInteger(parsedId) || parsedId <= 0) throw notOurs();
  const validKey = kind === 'time' ? /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(key) : /^[0-9.e+-]+$/i.test(key) && Number.isFinite(Number(key));
  if (!validKey) throw notOurs();
  return { key, id: parsedId };
}

// What every importer turns its export into: the items and authors it holds, in one neutral shape, plus what was
// wrong with the file, named by file, item and field. lib/importers/apply.ts takes it from there.

export const IMPORT_SOURCES = ['ghost', 'wordpress'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

export interface SourceAuthor {
  /** The export's own key for the author (Ghost's user id, WordPress's login). */
  key: string;
  username: string;
  displayName: string;
  /** Null when the export has none; the account then gets an address under `.invalid` that nobody can receive. */
  email: string | null;
  bio: string;
}

export interface SourceItem {
  /** The export's own id, which a re-import finds the post by. */
  sourceId: string;
  /** Where the item sits in the file, as a report names it: `posts[3] "Hello"`. */
  at: string;
  kind: 'post' | 'page';
  title: string;
  slug: string;
  html: string;
  status: 'published' | 'draft' | 'scheduled';
  /** ISO 8601 with offset, or null for a draft without one. */
  publishedAt: string | null;
  createdAt: string | null;
  excerpt: string | null;
  authorKey: string | null;
  tags: string[];
  featureImage: string | null;
  /** The item's addresses on the old blog (paths, `/?p=42` for WordPress), redirected to it once imported. */
  formerPaths: string[];
}

export interface ImportProblem {
  file: string;
  /** `posts[3] "Hello"`, `item 12`, or `file` for the whole export. */
  item: string;
  field: string;
  message: string;
}

export interface SourceExport {
  source: ImportSource;
  file: string;
  authors: SourceAuthor[];
  items: SourceItem[];
  /** Items deliberately left out (attachments, menu entries, trashed posts), with why. */
  skipped: { item: string; reason: string }[];
  problems: ImportProblem[];
}

/** A username lembas accepts (3-32 of `[a-zA-Z0-9_-]`) made from whatever the export calls the author. */
export function usernameFrom(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return cleaned.length >= 3 ? cleaned : `${cleaned || 'author'}-imported`.slice(0, 32);
}

/** An old address as the redirect table keys it: the path without its trailing slash (`/` stays `/`). */
export function redirectPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** A short label for an item in a report. */
export function itemLabel(where: string, title: unknown): string {
  return typeof title === 'string' && title.trim() ? `${where} "${title.trim().slice(0, 60)}"` : where;
}

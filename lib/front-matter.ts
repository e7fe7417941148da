// Markdown files with YAML front matter, as Hexo and Jekyll write them: reading one into the fields of a post, and
// writing a post back out. Values in, values out; the import and export decide what to do with them.
import { Document, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { slugify } from './slug';

/** What a file says about a post, before the API's rules (lengths, slugs, publication) are applied. */
export interface PostFile {
  title: string;
  /** From `slug:`, else the file name (without a Jekyll date prefix), else the title. */
  slug: string;
  /** ISO time, or null when the file gives none. */
  date: string | null;
  tags: string[];
  draft: boolean;
  /** A username, when the file names one. */
  author: string | null;
  /** The writer's own excerpt (`excerpt:`, as Jekyll and Hexo write it), or null to derive it from the body. */
  excerpt: string | null;
  /** A page (About…) rather than a post: `layout: page`, as Jekyll and Hexo mark one, or a file under `pages/`. */
  page: boolean;
  markdown: string;
}

export type ParsedFile = { ok: true; post: PostFile } | { ok: false; reason: string };

// Both delimiters on their own lines; the closing one may end the file. Hexo also accepts a file that only has the
// closing `---`, which this does not: without the opening line, any markdown rule (`---`) would look like one.
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;
const JEKYLL_NAME = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/;
// YAML 1.1, as Jekyll (Ruby's Psych) and Hexo (js-yaml) read front matter: unquoted dates are timestamps.
const SCHEMA = 'yaml-1.1';

/** Reads one file. `path` supplies what Hexo and Jekyll take from it: a slug, a date, and `_drafts/`. */
export function parsePostFile(text: string, path: string): ParsedFile {
  const match = FRONT_MATTER.exec(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!match) return { ok: false, reason: 'no front matter (a --- block at the top of the file)' };
  const doc = parseDocument(match[1] ?? '', { schema: SCHEMA, uniqueKeys: false });
  if (doc.errors.length > 0) return { ok: false, reason: `front matter is not valid YAML: ${doc.errors[0]?.message}` };
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { ok: false, reason: 'front matter is not a set of key: value lines' };
  }
  const field = (name: string) => doc.get(name, true) as Node | undefined;

  const title = scalarText(field('title'))?.trim();
  if (!title) return { ok: false, reason: 'no title in the front matter' };

  const fileName = baseName(path).replace(/\.(md|markdown|mdx?)$/i, '');
  const jekyll = JEKYLL_NAME.exec(fileName);
  const slug = slugify(scalarText(field('slug')) ?? (jekyll ? jekyll[4] : fileName) ?? '', 120) || slugify(title, 120);

  const rawDate = field('date');
  let date: string | null = null;
  if (rawDate !== undefined && !(isScalar(rawDate) && rawDate.value === null)) {
    date = parseDate(isScalar(rawDate) ? rawDate.value : undefined);
    if (!date) return { ok: false, reason: `the date "${scalarText(rawDate)}" is not a date this importer reads` };
  } else if (jekyll) {
    date = new Date(Date.UTC(Number(jekyll[1]), Number(jekyll[2]) - 1, Number(jekyll[3]))).toISOString();
  }

  const body = text.slice((text.startsWith('\uFEFF') ? 1 : 0) + (match[0]?.length ?? 0));
  return {
    ok: true,
    post: {
      title,
      slug,
      date,
      tags: listOf(field('tags')),
      draft:
        truthy(field('draft')) ||
        isFalse(field('published')) ||
        path.split(/[\\/]/).some((segment) => segment === '_drafts'),
      author: scalarText(field('author'))?.trim() || null,
      excerpt: scalarText(field('excerpt'))?.trim() || null,
      page: scalarText(field('layout'))?.trim() === 'page' || path.split(/[\\/]/)[0] === 'pages',
      markdown: stripOne(body),
    },
  };
}

/** A scalar as its author typed it: `title: 1.0` is the text "1.0", not the number 1. */
function scalarText(node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (node.value instanceof Date) return node.value.toISOString();
  return node.source ?? String(node.value);
}

/** Jekyll allows `tags: a b c` (space-separated); Hexo and Jekyll both allow a list. */
function listOf(node: Node | undefined): string[] {
  if (isSeq(node)) {
    return node.items.map((item) => scalarText(item as Node)?.trim() ?? '').filter((tag) => tag !== '');
  }
  const text = scalarText(node);
  return text ? text.split(/\s+/).filter(Boolean) : [];
}

function truthy(node: Node | undefined): boolean {
  return isScalar(node) && node.value === true;
}

function isFalse(node: Node | undefined): boolean {
  return isScalar(node) && node.value === false;
}

const DATE_TEXT =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Dates as the two generators write them: YAML timestamps, `2016-03-24`, `2016-03-24 10:12:00 -0500` (Jekyll) or
 * `2013-07-13 20:46:25` (Hexo). A time without a zone is taken as UTC, which is what YAML says it means.
 */
export function parseDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return null;
  const match = DATE_TEXT.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', zone = 'Z'] = match;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * (zone[0] === '-' ? -1 : 1);
  }
  const date = new Date(utc - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The blank line after the front matter is layout, not content; exactly one is written back (formatPostFile). */
function stripOne(body: string): string {
  const leading = body.startsWith('\r\n') ? body.slice(2) : body.startsWith('\n') ? body.slice(1) : body;
  return leading.endsWith('\r\n') ? leading.slice(0, -2) : leading.endsWith('\n') ? leading.slice(0, -1) : leading;
}

/** What a post is written as; `date` is null when the post has none to keep. */
export interface PostForFile {
  title: string;
  slug: string;
  date: string | null;
  author: string;
  tags: string[];
  /** Only a writer's own excerpt is written; a derived one is the body's to derive again. */
  excerpt?: string | null;
  draft: boolean;
  /** Written as `layout: page`; posts carry no layout. */
  page?: boolean;
  markdown: string;
}

/**
 * Writes a post as a file parsePostFile reads back to the same fields, byte for byte on a second export. The date
 * is written as quoted ISO text with its zone, so neither Hexo nor Jekyll can read it in a local time zone.
 */
export function formatPostFile(post: PostForFile): string {
  const fields: Record<string, unknown> = { title: post.title, slug: post.slug };
  if (post.page) fields.layout = 'page';
  if (post.date) fields.date = post.date;
  fields.author = post.author;
  fields.tags = post.tags;
  if (post.excerpt) fields.excerpt = post.excerpt;
  if (post.draft) fields.draft = true;
  const yaml = new Document(fields, { schema: SCHEMA }).toString({ lineWidth: 0 });
  return `---\n${yaml}---\n\n${post.markdown}\n`;
}

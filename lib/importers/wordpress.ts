// WordPress's export (Tools > Export): WXR, an RSS 2.0 file with the `wp:`, `content:`, `excerpt:` and `dc:`
// namespaces. Posts and pages move; attachments, menu entries, revisions and trashed items are skipped and counted.
import { XMLParser } from 'fast-xml-parser';
import { itemLabel, redirectPath, usernameFrom, type SourceAuthor, type SourceExport, type SourceItem } from './source';

const STATUSES: Record<string, SourceItem['status'] | undefined> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Every value stays text: ids such as `0012` and titles such as `2024` must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['item', 'category', 'wp:author'].includes(name),
  // A WXR file is shallow; a deeply nested one is hostile, refused before it costs anything.
  maxNestedTags: 64,
});

type Node = Record<string, unknown>;

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) return String((node as Node)['#text']);
  return '';
}

/** `2024-05-01 09:30:00` (UTC, as `wp:post_date_gmt` has it) as ISO 8601; WordPress writes zeros for "none". */
function gmtDate(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match || match[1] === '0000') return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/**
 * Classic-editor posts are stored without `<p>`: WordPress adds paragraphs when it shows them (`wpautop`).
 * Blank lines become paragraph breaks here too, so a converted post keeps its paragraphs.
 */
export function addParagraphs(html: string): string {
  if (/<p[\s>]/i.test(html)) return html;
  const block = /^<(h[1-6]|ul|ol|pre|blockquote|table|div|figure|hr|!--)/i;
  return html
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => (block.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br>')}</p>`))
    .join('\n');
}

function decodedSlug(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The paths the old blog answered for an item: its permalink, the dated form (posts), and `/?p={id}`. */
function formerPaths(item: Node, id: string, slug: string, datedAt: string | null): string[] {
  const paths = new Set<string>([`/?p=${id}`]);
  try {
    const link = new URL(text(item.link));
    if (link.pathname !== '/' && !link.search) paths.add(redirectPath(decodeURI(link.pathname)));
  } catch {
    // No usable permalink (a draft's is `/?p=12`, already covered).
  }
  if (datedAt && slug) {
    const [date] = datedAt.split('T');
    paths.add(`/${date!.replaceAll('-', '/')}/${slug}`);
  }
  return [...paths];
}

/** Reads a WXR export; a file that is not one gives a single problem and nothing else. */
export function parseWordPressExport(xml: string, file: string): SourceExport {
  const result: SourceExport = { source: 'wordpress', file, authors: [], items: [], skipped: [], problems: [] };
  // WordPress never writes a DOCTYPE; one in an export can only be there to define entities (billion laughs).
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096))) {
    result.problems.push({
      file,
      item: 'file',
      field: 'file',
      message: 'not well-formed XML for an export: it has a DOCTYPE',
    });
    return result;
  }
  let channel: Node | undefined;
  try {
    // `true`: validate first, so a truncated file is refused instead of read as far as it goes.
    const document = parser.parse(xml, true) as Node;
    channel = (document.rss as Node | undefined)?.channel as Node | undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result.problems.push({ file, item: 'file', field: 'file', message: `not well-formed XML: ${message}` });
    return result;
  }
  if (!channel || typeof channel !== 'object') {
    result.problems.push({ file, item: 'file', field: 'rss.channel', message: 'not a WordPress export (WXR)' });
    return result;
  }

  result.authors = ((channel['wp:author'] as Node[] | undefined) ?? []).flatMap((author): SourceAuthor[] => {
    const login = text(author['wp:author_login']).trim();
    if (!login) return [];
    return [
      {
        key: login,
        username: usernameFrom(login),
        displayName: (text(author['wp:author_display_name']).trim() || login).slice(0, 80),
        email: text(author['wp:author_email']).trim() || null,
        bio: '',
      },
    ];
  });

  ((channel.item as Node[] | undefined) ?? []).forEach((item, index) => {
    const label = itemLabel(`item ${index + 1}`, text(item.title));
    const problem = (field: string, message: string) => result.problems.push({ file, item: label, field, message });
    const type = text(item['wp:post_type']);
    if (type !== 'post' && type !== 'page') {
      result.skipped.push({ item: label, reason: `post type "${type || 'none'}"` });
      return;
    }
    const wpStatus = text(item['wp:status']);
    const status = STATUSES[wpStatus];
    if (!status) {
      result.skipped.push({ item: label, reason: `status "${wpStatus || 'none'}"` });
      return;
    }
    const id = text(item['wp:post_id']).trim();
    if (!/^\d{1,20}$/.test(id)) return problem('wp:post_id', 'missing or not a number');
    const title = text(item.title).trim();
    if (!title) return problem('title', 'empty');
    const slug = decodedSlug(text(item['wp:post_name']).trim());
    const publishedAt = gmtDate(text(item['wp:post_date_gmt']));
    if (status !== 'draft' && !publishedAt)
      return problem('wp:post_date_gmt', 'missing for a published or scheduled item');
    const categories = (item.category as unknown[] | undefined) ?? [];
    const tags = categories
      .filter((category) => {
        const domain = (category as Node | null)?.['@domain'];
        return domain === 'post_tag' || domain === 'category';
      })
      .map((category) => text(category).trim())
      // WordPress files every post without a category under this one; it says nothing about the post.
      .filter((name) => name && name !== 'Uncategorized');
    result.items.push({
      sourceId: id,
      at: label,
      kind: type,
      title,
      slug,
      html: addParagraphs(text(item['content:encoded'])),
      status,
      publishedAt,
      createdAt: gmtDate(text(item['wp:post_date_gmt'])) ?? gmtDate(text(item['wp:post_date'])),
      excerpt: text(item['excerpt:encoded']).trim() || null,
      authorKey: text(item['dc:creator']).trim() || null,
      tags: [...new Set(tags)],
      featureImage: null,
      formerPaths: formerPaths(item, id, slug, type === 'post' && status === 'published' ? publishedAt : null),
    });
  });
  return result;
}

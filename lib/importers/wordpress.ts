// WordPress's export (Tools > Export): WXR, an RSS 2.0 file with the `wp:`, `content:`, `excerpt:` and `dc:`
// namespaces. Posts and pages move; attachments, menu entries, revisions and trashed items are skipped and counted.
import { parseXml, XmlElement } from '@rgrove/parse-xml';
import { itemLabel, redirectPath, usernameFrom, type SourceAuthor, type SourceExport, type SourceItem } from './source';

const STATUSES: Record<string, SourceItem['status'] | undefined> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
};

/** A WXR file is shallow (rss > channel > item > field); a deeply nested one is hostile, refused whole. */
const MAX_DEPTH = 64;

type Node = XmlElement;

function children(node: Node | undefined, name: string): Node[] {
  return (node?.children ?? []).filter((child): child is Node => child instanceof XmlElement && child.name === name);
}

function child(node: Node | undefined, name: string): Node | undefined {
  return children(node, name)[0];
}

/** An element's text (CDATA included), trimmed; '' when it is absent. */
function text(node: Node | undefined): string {
  return node?.text.trim() ?? '';
}

/** How deep the tree goes, walked without recursion so the check cannot itself overflow. */
function depthOf(root: Node): number {
  let deepest = 0;
  const stack: [Node, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    deepest = Math.max(deepest, depth);
    for (const next of node.children) if (next instanceof XmlElement) stack.push([next, depth + 1]);
  }
  return deepest;
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
    const link = new URL(text(child(item, 'link')));
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
    // parse-xml refuses a file that is not well-formed (a truncated one included) and expands no entity a DOCTYPE
    // could define; it descends elements recursively, so a pathologically deep file overflows the stack: caught here.
    const root = parseXml(xml).root;
    if (root && depthOf(root) > MAX_DEPTH) {
      result.problems.push({
        file,
        item: 'file',
        field: 'file',
        message: `not XML for an export: nested deeper than ${MAX_DEPTH}`,
      });
      return result;
    }
    channel = root?.name === 'rss' ? child(root, 'channel') : undefined;
  } catch (error) {
    const message =
      error instanceof RangeError ? 'nested too deeply' : error instanceof Error ? error.message : String(error);
    result.problems.push({ file, item: 'file', field: 'file', message: `not well-formed XML: ${message}` });
    return result;
  }
  if (!channel) {
    result.problems.push({ file, item: 'file', field: 'rss.channel', message: 'not a WordPress export (WXR)' });
    return result;
  }

  result.authors = children(channel, 'wp:author').flatMap((author): SourceAuthor[] => {
    const login = text(child(author, 'wp:author_login'));
    if (!login) return [];
    return [
      {
        key: login,
        username: usernameFrom(login),
        displayName: (text(child(author, 'wp:author_display_name')) || login).slice(0, 80),
        email: text(child(author, 'wp:author_email')) || null,
        bio: '',
      },
    ];
  });

  children(channel, 'item').forEach((item, index) => {
    const label = itemLabel(`item ${index + 1}`, text(child(item, 'title')));
    const problem = (field: string, message: string) => result.problems.push({ file, item: label, field, message });
    const type = text(child(item, 'wp:post_type'));
    if (type !== 'post' && type !== 'page') {
      result.skipped.push({ item: label, reason: `post type "${type || 'none'}"` });
      return;
    }
    const wpStatus = text(child(item, 'wp:status'));
    const status = STATUSES[wpStatus];
    if (!status) {
      result.skipped.push({ item: label, reason: `status "${wpStatus || 'none'}"` });
      return;
    }
    const id = text(child(item, 'wp:post_id'));
    if (!/^\d{1,20}$/.test(id)) return problem('wp:post_id', 'missing or not a number');
    const title = text(child(item, 'title'));
    if (!title) return problem('title', 'empty');
    const slug = decodedSlug(text(child(item, 'wp:post_name')));
    const publishedAt = gmtDate(text(child(item, 'wp:post_date_gmt')));
    if (status !== 'draft' && !publishedAt)
      return problem('wp:post_date_gmt', 'missing for a published or scheduled item');
    const tags = children(item, 'category')
      .filter((category) => category.attributes.domain === 'post_tag' || category.attributes.domain === 'category')
      .map((category) => text(category))
      // WordPress files every post without a category under this one; it says nothing about the post.
      .filter((name) => name && name !== 'Uncategorized');
    result.items.push({
      sourceId: id,
      at: label,
      kind: type,
      title,
      slug,
      html: addParagraphs(text(child(item, 'content:encoded'))),
      status,
      publishedAt,
      createdAt: gmtDate(text(child(item, 'wp:post_date_gmt'))) ?? gmtDate(text(child(item, 'wp:post_date'))),
      excerpt: text(child(item, 'excerpt:encoded')) || null,
      authorKey: text(child(item, 'dc:creator')) || null,
      tags: [...new Set(tags)],
      featureImage: null,
      formerPaths: formerPaths(item, id, slug, type === 'post' && status === 'published' ? publishedAt : null),
    });
  });
  return result;
}

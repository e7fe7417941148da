// RSS 2.0, Atom and sitemap XML from plain values: no I/O, so the documents can be tested and cached as strings.
import type { PostSummary } from './schemas/post';

export interface Site {
  name: string;
  url: string;
  description: string;
}

/** A post as feeds carry it: the summary plus its full (sanitized) HTML and last change. */
export interface FeedPost extends PostSummary {
  html: string;
  updatedAt: string;
}

/** What a feed is about: the whole site, one tag or one author. */
export interface FeedChannel {
  /** Channel title, e.g. `lembas` or `#Postgres · lembas`. */
  title: string;
  description: string;
  /** The HTML page the feed mirrors, as a path (`/`, `/tags/x`, `/authors/ada`). */
  pagePath: string;
  /** The feed's own path (`/atom.xml`, `/tags/x/feed.xml`). */
  selfPath: string;
}

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids outright are dropped rather than escaped (they cannot be escaped).
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (ch) => xmlEntities[ch] ?? ch);
}

const origin = (site: Site) => site.url.replace(/\/$/, '');
const absolute = (site: Site, path: string) => `${origin(site)}${path}`;
const postUrl = (site: Site, slug: string) => absolute(site, `/posts/${slug}`);

/**
 * Feed readers show content away from our site, where `/posts/x` and `#heading` would resolve against the reader's
 * address: make root-relative and fragment links absolute. The HTML comes from our sanitizer, which always writes
 * attributes double-quoted, so a pattern over `href="…"` and `src="…"` sees every link.
 */
export function absolutizeLinks(html: string, site: Site, pageUrl: string): string {
  return html.replace(/\b(href|src)="([^"]*)"/g, (whole, name: string, value: string) => {
    if (value.startsWith('//')) return whole;
    if (value.startsWith('/')) return `${name}="${origin(site)}${value}"`;
    if (value.startsWith('#')) return `${name}="${pageUrl}${value}"`;
    return whole;
  });
}

/** The newest change among the posts (feeds' and sitemaps' last-modified), or the epoch for an empty feed. */
export function latestUpdate(posts: { updatedAt: string }[]): string {
  let latest = 0;
  for (const post of posts) latest = Math.max(latest, Date.parse(post.updatedAt));
  return new Date(latest).toISOString();
}

export function renderRss(site: Site, channel: FeedChannel, posts: FeedPost[]): string {
  const items = posts
    .map((post) => {
      const url = postUrl(site, post.slug);
      return `    <item>
      <title>${escapeXml(post.title)}</title>
      <link>${escapeXml(url)}</link>
      <guid isPermaLink="true">${escapeXml(url)}</guid>
      <pubDate>${new Date(post.publishedAt ?? 0).toUTCString()}</pubDate>
      <dc:creator>${escapeXml(post.author.displayName)}</dc:creator>
${post.tags.map((tag) => `      <category>${escapeXml(tag.name)}</category>\n`).join('')}      <description>${escapeXml(post.excerpt)}</description>
      <content:encoded>${escapeXml(absolutizeLinks(post.html, site, url))}</content:encoded>
    </item>`;
    })
    .join('\n');
  const updated =
    posts.length > 0 ? `\n    <lastBuildDate>${new Date(latestUpdate(posts)).toUTCString()}</lastBuildDate>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${escapeXml(channel.title)}</title>
    <link>${escapeXml(absolute(site, channel.pagePath))}</link>
    <description>${escapeXml(channel.description)}</description>
    <atom:link href="${escapeXml(absolute(site, channel.selfPath))}" rel="self" type="application/rss+xml"/>${updated}
${items}
  </channel>
</rss>
`;
}

/** Atom (RFC 4287): ids are the posts' permanent URLs, dates RFC 3339, content full HTML (escaped). */
export function renderAtom(site: Site, channel: FeedChannel, posts: FeedPost[]): string {
  const entries = posts
    .map((post) => {
      const url = postUrl(site, post.slug);
      return `  <entry>
    <title type="text">${escapeXml(post.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
    <id>${escapeXml(url)}</id>
    <published>${new Date(post.publishedAt ?? 0).toISOString()}</published>
    <updated>${new Date(post.updatedAt).toISOString()}</updated>
    <author><name>${escapeXml(post.author.displayName)}</name><uri>${escapeXml(absolute(site, `/authors/${encodeURIComponent(post.author.username)}`))}</uri></author>
${post.tags.map((tag) => `    <category term="${escapeXml(tag.slug)}" label="${escapeXml(tag.name)}"/>\n`).join('')}    <summary type="text">${escapeXml(post.excerpt)}</summary>
    <content type="html">${escapeXml(absolutizeLinks(post.html, site, url))}</content>
  </entry>`;
    })
    .join('\n');
  const selfUrl = absolute(site, channel.selfPath);
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">${escapeXml(channel.title)}</title>
  <subtitle type="text">${escapeXml(channel.description)}</subtitle>
  <link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(absolute(site, channel.pagePath))}"/>
  <id>${escapeXml(selfUrl)}</id>
  <updated>${latestUpdate(posts)}</updated>
  <generator>lembas</generator>
${entries}
</feed>
`;
}

export interface SitemapEntry {
  /** Path on the site, e.g. `/posts/a`. */
  path: string;
  lastmod?: string;
}

export function renderSitemap(site: Site, entries: SitemapEntry[]): string {
  const urls = [
    `  <url><loc>${escapeXml(absolute(site, '/'))}</loc></url>`,
    ...entries.map(
      (entry) =>
        `  <url><loc>${escapeXml(absolute(site, entry.path))}</loc>${entry.lastmod ? `<lastmod>${entry.lastmod}</lastmod>` : ''}</url>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

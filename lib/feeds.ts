// RSS 2.0 and sitemap XML from plain values: no I/O, so the documents can be tested and cached as strings.
import type { PostSummary } from './schemas/post';

export interface Site {
  name: string;
  url: string;
  description: string;
}

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids outright are dropped rather than escaped (they cannot be escaped).
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (ch) => xmlEntities[ch] ?? ch);
}

const postUrl = (site: Site, slug: string) => `${site.url.replace(/\/$/, '')}/posts/${slug}`;

export function renderRss(site: Site, posts: PostSummary[]): string {
  const items = posts
    .map(
      (post) => `    <item>
      <title>${escapeXml(post.title)}</title>
      <link>${escapeXml(postUrl(site, post.slug))}</link>
      <guid isPermaLink="true">${escapeXml(postUrl(site, post.slug))}</guid>
      <pubDate>${new Date(post.publishedAt ?? 0).toUTCString()}</pubDate>
      <dc:creator>${escapeXml(post.author.displayName)}</dc:creator>
${post.tags.map((tag) => `      <category>${escapeXml(tag.name)}</category>\n`).join('')}      <description>${escapeXml(post.excerpt)}</description>
    </item>`,
    )
    .join('\n');
  const updated = posts[0]?.publishedAt
    ? `\n    <lastBuildDate>${new Date(posts[0].publishedAt).toUTCString()}</lastBuildDate>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${escapeXml(site.name)}</title>
    <link>${escapeXml(site.url)}</link>
    <description>${escapeXml(site.description)}</description>
    <atom:link href="${escapeXml(`${site.url.replace(/\/$/, '')}/feed.xml`)}" rel="self" type="application/rss+xml"/>${updated}
${items}
  </channel>
</rss>
`;
}

export interface SitemapEntry {
  slug: string;
  updatedAt: string;
}

export function renderSitemap(site: Site, posts: SitemapEntry[]): string {
  const urls = [
    `  <url><loc>${escapeXml(site.url)}</loc></url>`,
    ...posts.map(
      (post) => `  <url><loc>${escapeXml(postUrl(site, post.slug))}</loc><lastmod>${post.updatedAt}</lastmod></url>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

// What search engines and link previews read: absolute URLs and schema.org JSON-LD, built from plain values.
import type { PostSummary, PostView } from './schemas/post';
import type { PublicProfile } from './schemas/user';

export interface SiteInfo {
  name: string;
  url: string;
  description: string;
}

/** `path` on the site's public origin; SITE_URL may or may not end in a slash. */
export function absoluteUrl(siteUrl: string, path: string): string {
  return `${siteUrl.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

export const postPath = (slug: string) => `/posts/${slug}`;
export const authorPath = (username: string) => `/authors/${encodeURIComponent(username)}`;
export const tagPath = (slug: string) => `/tags/${slug}`;

function personLd(site: SiteInfo, author: { username: string; displayName: string }) {
  return { '@type': 'Person', name: author.displayName, url: absoluteUrl(site.url, authorPath(author.username)) };
}

export function blogPostingLd(site: SiteInfo, post: PostView): Record<string, unknown> {
  const url = absoluteUrl(site.url, postPath(post.slug));
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    description: post.excerpt,
    url,
    mainEntityOfPage: url,
    datePublished: post.publishedAt,
    dateModified: post.updatedAt,
    author: personLd(site, post.author),
    keywords: post.tags.map((t) => t.name).join(', ') || undefined,
    publisher: { '@type': 'Organization', name: site.name, url: absoluteUrl(site.url, '/') },
  };
}

export function blogLd(site: SiteInfo, posts: PostSummary[]): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'Blog',
    name: site.name,
    description: site.description,
    url: absoluteUrl(site.url, '/'),
    blogPost: posts.map((post) => ({
      '@type': 'BlogPosting',
      headline: post.title,
      url: absoluteUrl(site.url, postPath(post.slug)),
      datePublished: post.publishedAt,
      author: personLd(site, post.author),
    })),
  };
}

export function profilePageLd(site: SiteInfo, author: PublicProfile): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'ProfilePage',
    mainEntity: { ...personLd(site, author), description: author.bio || undefined },
  };
}

/**
 * JSON for a `<script type="application/ld+json">` block: `<` is escaped so no text in a title or bio can close
 * the script element early. (A data block is not executed, so the CSP's script-src does not apply to it.)
 */
export function jsonLdText(data: Record<string, unknown>): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/** The site as search engines see it: its public origin, and its title and description from the settings. */
export function siteInfo(config: { SITE_URL: string }, settings: { title: string; description: string }): SiteInfo {
  return { name: settings.title, url: config.SITE_URL, description: settings.description };
}

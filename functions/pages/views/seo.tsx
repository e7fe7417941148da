// Head tags for search engines and link previews: description, canonical URL, Open Graph, Twitter card, JSON-LD
// and rel=prev/next. Every page passes what it knows; the layout renders it.
import { raw } from 'hono/html';
import { jsonLdText } from '../../../lib/seo';

export interface Seo {
  /** Absolute URL of this page as it should be indexed. */
  canonical?: string;
  description?: string;
  /** Open Graph type: `article` for posts, `profile` for authors, otherwise `website`. */
  type?: 'website' | 'article' | 'profile';
  publishedTime?: string | null;
  modifiedTime?: string;
  /** Links to the neighbouring pages of a paginated list or a post. */
  prev?: string;
  next?: string;
  /** Search results and error pages are not worth indexing. */
  noindex?: boolean;
  jsonLd?: Record<string, unknown>;
  /** Feeds for this page's subject besides the site's own (a tag's, an author's). */
  feeds?: { title: string; href: string }[];
}

export function SeoTags({ title, siteName, seo }: { title: string; siteName: string; seo: Seo }) {
  return (
    <>
      {seo.description ? <meta name="description" content={seo.description} /> : null}
      {seo.canonical ? <link rel="canonical" href={seo.canonical} /> : null}
      {seo.noindex ? <meta name="robots" content="noindex" /> : null}
      {seo.prev ? <link rel="prev" href={seo.prev} /> : null}
      {seo.next ? <link rel="next" href={seo.next} /> : null}
      <meta property="og:site_name" content={siteName} />
      <meta property="og:title" content={title} />
      <meta property="og:type" content={seo.type ?? 'website'} />
      {seo.canonical ? <meta property="og:url" content={seo.canonical} /> : null}
      {seo.description ? <meta property="og:description" content={seo.description} /> : null}
      {seo.publishedTime ? <meta property="article:published_time" content={seo.publishedTime} /> : null}
      {seo.modifiedTime ? <meta property="article:modified_time" content={seo.modifiedTime} /> : null}
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={title} />
      {seo.description ? <meta name="twitter:description" content={seo.description} /> : null}
      {(seo.feeds ?? []).map((feed) => (
        <link rel="alternate" type="application/atom+xml" title={feed.title} href={feed.href} />
      ))}
      {seo.jsonLd ? raw(`<script type="application/ld+json">${jsonLdText(seo.jsonLd)}</script>`) : null}
    </>
  );
}

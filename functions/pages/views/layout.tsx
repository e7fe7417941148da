// The page shell every HTML response shares: head, header, footer. No inline script or style (CSP forbids them).
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { SeoTags, type Seo } from './seo';
import { viewerSlot } from '../../../lib/viewer';

export interface LayoutProps {
  title: string;
  siteName?: string;
  description?: string;
  canonical?: string;
  /** The search box's current text. */
  query?: string;
  /** Open Graph, JSON-LD, rel=prev/next and friends (views/seo.tsx). */
  seo?: Seo;
  children?: Child;
}

export function Layout({ title, siteName = 'lembas', description, canonical, query, seo, children }: LayoutProps) {
  const fullTitle = title === siteName ? title : `${title} · ${siteName}`;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{fullTitle}</title>
          <SeoTags
            title={fullTitle}
            siteName={siteName}
            seo={{ ...seo, description: seo?.description ?? description, canonical: seo?.canonical ?? canonical }}
          />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/site.css" />
          <link rel="alternate" type="application/rss+xml" title={siteName} href="/feed.xml" />
          <link rel="alternate" type="application/atom+xml" title={siteName} href="/atom.xml" />
        </head>
        <body>
          <header class="site-header">
            <a class="site-name" href="/">
              {siteName}
            </a>
            <nav>
              <form class="search" action="/search" method="get" role="search">
                <input
                  type="search"
                  name="q"
                  value={query ?? ''}
                  placeholder="Search posts"
                  aria-label="Search posts"
                  maxlength={200}
                />
              </form>
              <a href="/">Posts</a>
              <a href="/tags">Tags</a>
              <a href="/archive">Archive</a>
              <a href="/feed.xml">RSS</a>
              <a href="/docs">API</a>
              {raw(viewerSlot('nav'))}
            </nav>
          </header>
          <main>{children}</main>
          <footer class="site-footer">
            <p>Served from the edge by lembas.</p>
          </footer>
        </body>
      </html>
    </>
  );
}

// Built once, on first use: toLocaleDateString builds a formatter on every call (a cost every list page paid per
// post), and building it at startup would load locale data into every cold isolate.
let dateFormat: Intl.DateTimeFormat | undefined;

export function formatDate(isoDate: string | null): string {
  if (!isoDate) return 'unpublished';
  dateFormat ??= new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return dateFormat.format(new Date(isoDate));
}

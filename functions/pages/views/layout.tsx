// The page shell every HTML response shares: head, header, footer. No inline script or style (CSP forbids them).
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { SeoTags, type Seo } from './seo';
import { viewerSlot } from '../../../lib/viewer';
import { BUILT_IN_DEFAULTS, type SiteSettings } from '../../../lib/settings/schema';
import { themeStylesheetPath } from '../../../lib/settings/theme';

export interface LayoutProps {
  title: string;
  /** The site settings: title, navigation, footer, icon, accent colour, locale (lib/settings). */
  site: SiteSettings;
  description?: string;
  canonical?: string;
  /** The search box's current text. */
  query?: string;
  /** Open Graph, JSON-LD, rel=prev/next and friends (views/seo.tsx). */
  seo?: Seo;
  children?: Child;
}

export function Layout({ title, site, description, canonical, query, seo, children }: LayoutProps) {
  const siteName = site.title;
  const fullTitle = title === siteName ? title : `${title} · ${siteName}`;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={site.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{fullTitle}</title>
          <SeoTags
            title={fullTitle}
            siteName={siteName}
            seo={{ ...seo, description: seo?.description ?? description, canonical: seo?.canonical ?? canonical }}
          />
          <meta name="theme-color" content={site.accentColor} />
          {site.icon ? (
            <link rel="icon" href={site.icon} />
          ) : (
            <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          )}
          <link rel="stylesheet" href="/static/site.css" />
          <ThemeLink accentColor={site.accentColor} />
          <link rel="alternate" type="application/rss+xml" title={siteName} href="/feed.xml" />
          <link rel="alternate" type="application/atom+xml" title={siteName} href="/atom.xml" />
        </head>
        <body>
          <header class="site-header">
            <a class="site-name" href="/">
              {site.logo ? <img class="site-logo" src={site.logo} alt="" width="32" height="32" /> : null}
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
                {/* A form needs a way to submit it that everyone can see and reach, not only Enter (WCAG H32). */}
                <button type="submit">Search</button>
              </form>
              {site.navigation.map((item) => (
                <a href={item.url}>{item.label}</a>
              ))}
              <a href="/">Posts</a>
              <a href="/tags">Tags</a>
              <a href="/archive">Archive</a>
              <a href="/feed.xml">RSS</a>
              <a href="/docs">API</a>
              {raw(viewerSlot('nav', site.registration === 'closed' ? 'closed' : undefined))}
            </nav>
          </header>
          <main>{children}</main>
          <footer class="site-footer">
            {raw(viewerSlot('subscribe'))}
            {site.footerHtml ? (
              raw(`<div class="footer-text">${site.footerHtml}</div>`)
            ) : (
              <p>Served from the edge by lembas.</p>
            )}
            {site.socialLinks.length > 0 ? (
              <ul class="social-links">
                {site.socialLinks.map((link) => (
                  <li>
                    <a rel="me" href={link.url}>
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </footer>
        </body>
      </html>
    </>
  );
}

/** The accent colour as a stylesheet of its own (the CSP forbids inline styles); none for the default colour. */
function ThemeLink({ accentColor }: { accentColor: string }) {
  if (accentColor === BUILT_IN_DEFAULTS.accentColor) return null;
  return <link rel="stylesheet" href={themeStylesheetPath(accentColor)} />;
}

// Built once per locale and zone: toLocaleDateString builds a formatter on every call (a cost every list page paid
// per post), and building one at startup would load locale data into every cold isolate.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as the site's readers read it: in the settings' locale and time zone. */
export function formatDate(isoDate: string | null, site: Pick<SiteSettings, 'locale' | 'timeZone'>): string {
  if (!isoDate) return 'unpublished';
  const key = `${site.locale}|${site.timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(site.locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: site.timeZone,
    });
    dateFormats.set(key, format);
  }
  return format.format(new Date(isoDate));
}

// A page (About, Contact…): its title and rendered HTML, nothing of a post's (dates, tags, reactions, comments).
import { raw } from 'hono/html';
import type { PostView } from '../../../lib/schemas/post';
import { absoluteUrl } from '../../../lib/seo';
import type { SiteSettings } from '../../../lib/settings';
import { Layout } from './layout';

export function StaticPage({ page, settings, siteUrl }: { page: PostView; settings: SiteSettings; siteUrl: string }) {
  return (
    <Layout
      title={page.title}
      site={settings}
      seo={{ description: page.excerpt, canonical: absoluteUrl(siteUrl, `/${page.slug}`) }}
    >
      <article class="page">
        <h1>{page.title}</h1>
        {/* Sanitized by the allowlist in lib/markdown.ts at save time; safe to emit as-is. */}
        <div class="post-body">{raw(page.html)}</div>
      </article>
    </Layout>
  );
}

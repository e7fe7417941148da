// A page (About, Contact…): its title and rendered HTML, nothing of a post's (dates, tags, reactions, comments).
import { raw } from 'hono/html';
import type { PostView } from '../../../lib/schemas/post';
import { absoluteUrl, type SiteInfo } from '../../../lib/seo';
import { Layout } from './layout';

export function StaticPage({ page, site }: { page: PostView; site: SiteInfo }) {
  return (
    <Layout
      title={page.title}
      siteName={site.name}
      seo={{ description: page.excerpt, canonical: absoluteUrl(site.url, `/${page.slug}`) }}
    >
      <article class="page">
        <h1>{page.title}</h1>
        {/* Sanitized by the allowlist in lib/markdown.ts at save time; safe to emit as-is. */}
        <div class="post-body">{raw(page.html)}</div>
      </article>
    </Layout>
  );
}

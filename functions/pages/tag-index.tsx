// GET /tags: every public tag with its count of published posts, from the same cached list the API serves.
import { Hono } from 'hono';
import type { AppEnv } from '../../lib/env';
import { absoluteUrl, siteInfo, tagPath } from '../../lib/seo';
import { readTags } from '../../lib/tags';
import { Layout } from './views/layout';

export const tagIndexPage = new Hono<AppEnv>().get('/tags', async (c) => {
  const site = siteInfo(c.var.deps.config);
  const { value, status } = await readTags(c.var.deps);
  c.header('X-Cache', status);
  const tags = value ?? [];
  return c.html(
    <Layout
      title="Tags"
      siteName={site.name}
      seo={{ canonical: absoluteUrl(site.url, '/tags'), description: `Every topic on ${site.name}.` }}
    >
      <h1 class="list-heading">Tags</h1>
      {tags.length === 0 ? <p class="empty">No tags yet.</p> : null}
      <ul class="tag-index">
        {tags.map((tag) => (
          <li>
            <a class="tag" href={tagPath(tag.slug)}>
              #{tag.name}
            </a>{' '}
            <span class="muted">
              {tag.postCount} {tag.postCount === 1 ? 'post' : 'posts'}
            </span>
            {tag.description ? <p class="tag-description">{tag.description}</p> : null}
          </li>
        ))}
      </ul>
    </Layout>,
  );
});

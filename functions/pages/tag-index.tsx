// GET /tags: every public tag with its count of published posts, cached as the finished page.
import { Hono } from 'hono';
import { cacheKeys } from '../../lib/cache-keys';
import type { AppEnv } from '../../lib/env';
import { absoluteUrl, siteInfo, tagPath } from '../../lib/seo';
import { loadTagIndex } from '../../lib/list-pages';
import { cachedResponse, renderHtml } from '../cached-response';
import { Layout } from './views/layout';

export const tagIndexPage = new Hono<AppEnv>().get('/tags', async (c) => {
  const deps = c.get('deps');
  const response = await cachedResponse(c, cacheKeys.response('tags-page'), async () => {
    const { settings, tags } = await loadTagIndex(deps);
    const site = siteInfo(deps.config, settings);
    return renderHtml(
      <Layout
        title="Tags"
        site={settings}
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
      c.req.path,
    );
  });
  return response ?? c.notFound();
});

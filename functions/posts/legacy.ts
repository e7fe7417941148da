// The slug addresses of the previous release (`/api/posts/{slug}` and its related posts, comments and reactions),
// kept for one release as permanent redirects to today's addresses: posts by id under /api/posts/{id}, by slug at
// /api/posts/by-slug/{slug}. Each answer says so (RFC 9745 Deprecation, RFC 8594 Sunset, a successor link). They are
// not in the OpenAPI document, where a path template must mean one thing.
import { Hono, type Context, type Next } from 'hono';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { findPublishedPost } from '../../lib/posts';
import { Slug } from '../../lib/schemas/common';

/** When the slug addresses were deprecated (this release), as RFC 9745's structured date: seconds since 1970. */
const DEPRECATED_AT = Date.UTC(2026, 11, 4) / 1000;
/** After this, the next release removes them. */
const SUNSET = new Date(Date.UTC(2027, 5, 1)).toUTCString();

// A segment with at least one non-digit: all-digit segments are ids, and belong to the current routes.
const LEGACY_SLUG = ':slug{[^/]*[^0-9/][^/]*}';

function redirectTo(c: Context<AppEnv>, path: string): Response {
  const target = path + new URL(c.req.url).search;
  c.header('Deprecation', `@${DEPRECATED_AT}`);
  c.header('Sunset', SUNSET);
  c.header('Link', `<${target}>; rel="successor-version"`);
  // 308 keeps the method and the body, so an old client's POST, PUT or DELETE arrives as it was sent.
  return c.redirect(target, 308);
}

/** The id behind a legacy slug, or the same errors the slug routes gave: 422 for a malformed slug, 404 for none. */
async function publishedPostId(c: Context<AppEnv>, slug: string): Promise<number> {
  const parsed = Slug.safeParse(slug);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'The request did not pass validation.', {
      errors: [{ path: 'slug', message: parsed.error.issues[0]?.message ?? 'invalid slug' }],
    });
  }
  const post = await findPublishedPost(c.var.deps, { slug });
  if (!post) throw new AppError('not_found', `No published post has the slug "${slug}".`);
  return post.id;
}

/** A post's sub-resource by slug: `/api/posts/by-slug/...` is today's address, not a legacy post named "by-slug". */
function subResource(suffix: (c: Context<AppEnv>) => string) {
  return async (c: Context<AppEnv>, next: Next) => {
    const slug = c.req.param('slug')!;
    if (slug === 'by-slug') return next();
    return redirectTo(c, `/api/posts/${await publishedPostId(c, slug)}/${suffix(c)}`);
  };
}

export const legacyPostRoutes = new Hono<AppEnv>()
  .get(`/api/posts/${LEGACY_SLUG}`, (c) =>
    redirectTo(c, `/api/posts/by-slug/${encodeURIComponent(c.req.param('slug'))}`),
  )
  .get(
    `/api/posts/${LEGACY_SLUG}/related`,
    subResource(() => 'related'),
  )
  .on(
    ['GET', 'POST'],
    `/api/posts/${LEGACY_SLUG}/comments`,
    subResource(() => 'comments'),
  )
  .on(
    ['PUT', 'DELETE'],
    `/api/posts/${LEGACY_SLUG}/reactions/:kind`,
    subResource((c) => `reactions/${encodeURIComponent(c.req.param('kind')!)}`),
  );

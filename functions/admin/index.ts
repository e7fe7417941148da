// /admin: writing in the browser, on the reader sign-in's cookie session and CSRF checks (functions/auth/session).
// Never cached anywhere, whoever asks; a role that may not see a page gets the 403 page, not a redirect.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { MAX_IMAGE_BYTES } from '../../lib/images';
import { siteHasOwner } from '../../lib/setup';
import { except } from 'hono/combine';
import { adminComments } from './comments';
import { adminImport } from './import';
import { adminPages } from './pages';
import { adminWebhooks } from './webhooks';
import { adminPosts } from './posts';
import { adminSettings } from './settings';
import { adminSubscribers } from './subscribers';
import { adminTags } from './tags';
import { adminUsers } from './users';

function neverCached(): MiddlewareHandler<AppEnv> {
  return async function neverCached(c, next) {
    await next();
    c.header('Cache-Control', 'private, no-store');
  };
}

/** Forms carry at most one image (5 MB) and a post (200 KB), read before anything parses them. */
function formLimit(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_IMAGE_BYTES + 1024 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
    },
  });
}

/** Until the first run has made an owner, every admin address leads to /setup (lib/setup.ts). */
function requireOwner(): MiddlewareHandler<AppEnv> {
  return async function requireOwner(c, next) {
    if (!(await siteHasOwner(c.var.deps))) return c.redirect('/setup', 303);
    await next();
  };
}

export const admin = new Hono<AppEnv>();
admin.use('/admin', neverCached(), requireOwner());
// An export upload and the settings form (a logo and an icon at once) have their own, larger limits.
admin.use('/admin/*', neverCached(), requireOwner(), except(['/admin/import', '/admin/settings'], formLimit()));
admin.route('/', adminPosts);
admin.route('/', adminPages);
admin.route('/', adminUsers);
admin.route('/', adminTags);
admin.route('/', adminComments);
admin.route('/', adminImport);
admin.route('/', adminWebhooks);
admin.route('/', adminSettings);
admin.route('/', adminSubscribers);

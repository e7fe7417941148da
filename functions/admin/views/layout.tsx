// The admin's page shell: its own navigation, the viewer's role deciding which sections it links to. Admin pages
// are never cached (routes set no-store) and carry no inline script or style (CSP).
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { hasRole } from '../../../lib/auth/roles';
import type { AuthUser } from '../../../lib/schemas/user';

export function AdminLayout({ title, user, children }: { title: string; user: AuthUser; children?: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${title} · admin`}</title>
          <link rel="stylesheet" href="/static/site.css" />
          <link rel="stylesheet" href="/static/admin.css" />
          <script src="/static/admin.js" defer></script>
        </head>
        <body class="admin">
          <header class="site-header">
            <a class="site-name" href="/admin">
              admin
            </a>
            <nav>
              <a href="/admin">Posts</a>
              <a href="/admin/posts/new">New post</a>
              {hasRole(user, 'editor') ? <a href="/admin/pages">Pages</a> : null}
              {hasRole(user, 'editor') ? <a href="/admin/tags">Tags</a> : null}
              {hasRole(user, 'editor') ? <a href="/admin/comments">Comments</a> : null}
              {hasRole(user, 'admin') ? <a href="/admin/users">Users</a> : null}
              {hasRole(user, 'admin') ? <a href="/admin/subscribers">Subscribers</a> : null}
              {hasRole(user, 'admin') ? <a href="/admin/webhooks">Webhooks</a> : null}
              {hasRole(user, 'admin') ? <a href="/admin/import">Import</a> : null}
              {hasRole(user, 'admin') ? <a href="/admin/settings">Settings</a> : null}
              <a href="/admin/profile">{user.displayName}</a>
              <a href="/">Blog</a>
            </nav>
          </header>
          <main>{children}</main>
        </body>
      </html>
    </>
  );
}

/** A notice above a form: what was saved, or why it was not. */
export function Notice({ message, error }: { message?: string; error?: string }) {
  if (error)
    return (
      <p class="notice error" role="alert">
        {error}
      </p>
    );
  if (message)
    return (
      <p class="notice" role="status">
        {message}
      </p>
    );
  return null;
}

export function FieldError({ errors, name }: { errors?: Record<string, string>; name: string }) {
  const message = errors?.[name];
  return message ? <span class="field-error">{message}</span> : null;
}

// A signed-in browser for the admin's tests: a user of one role, their session cookie and CSRF token, and form
// posts as their browser sends them (from this origin, with `_csrf`, unless a test says otherwise).
import type { Role } from '../lib/schemas/user';
import { call, createUser } from './helpers';
import { browserSignIn, csrfTokenOf, formPost, ORIGIN } from './web-helpers';

export interface AdminBrowser {
  user: Awaited<ReturnType<typeof createUser>>;
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  post(
    path: string,
    fields: Record<string, string>,
    options?: { csrf?: string | null; origin?: string },
  ): Promise<Response>;
  /** A multipart form post with one file, as the editor's image upload sends it. */
  upload(path: string, fields: Record<string, string>, file: File): Promise<Response>;
}

export async function adminBrowserAs(role: Role): Promise<AdminBrowser> {
  const user = await createUser({ role });
  const cookie = await browserSignIn(user);
  const csrf = await csrfTokenOf(cookie, '/admin/profile');
  return {
    user,
    cookie,
    csrf,
    get: (path) => call(path, { headers: { Cookie: cookie }, redirect: 'manual' }),
    post: (path, fields, { csrf: token = csrf, origin = ORIGIN } = {}) =>
      call(path, formPost(token === null ? fields : { _csrf: token, ...fields }, { cookie, origin })),
    upload: (path, fields, file) => {
      const body = new FormData();
      body.set('_csrf', csrf);
      for (const [name, value] of Object.entries(fields)) body.set(name, value);
      body.set('file', file);
      return call(path, { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN }, body, redirect: 'manual' });
    },
  };
}

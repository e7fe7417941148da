// Helpers for the browser side: form posts from this origin (or another), and signing in through /login.
import { call, uniqueIp } from './helpers';

export const ORIGIN = 'https://blog.example';

/** A form post as a browser on this site sends it (Origin set); `origin` overrides it for cross-site cases. */
export function formPost(
  fields: Record<string, string>,
  { cookie, origin = ORIGIN, ip = uniqueIp() }: { cookie?: string; origin?: string | null; ip?: string } = {},
): RequestInit {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'CF-Connecting-IP': ip,
  };
  if (origin) headers.Origin = origin;
  if (cookie) headers.Cookie = cookie;
  return { method: 'POST', headers, body: new URLSearchParams(fields).toString(), redirect: 'manual' };
}

/** Each Set-Cookie header on its own (the workers types lack Headers.getSetCookie, which workerd has). */
export function setCookiesOf(response: Response): string[] {
  return (response.headers as unknown as { getSetCookie(): string[] }).getSetCookie();
}

/** The `name=value` pair of the session cookie a response set, for the next request's Cookie header. */
export function sessionCookieFrom(response: Response): string {
  const header = setCookiesOf(response).find((c) => c.startsWith('lembas_session='));
  if (!header) throw new Error(`no session cookie in ${response.headers.get('set-cookie')}`);
  return header.split(';')[0]!;
}

/** Signs in through the /login form; returns the Cookie header value. */
export async function browserSignIn(user: { email: string; password: string }): Promise<string> {
  const response = await call('/login', formPost({ email: user.email, password: user.password, next: '/' }));
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return sessionCookieFrom(response);
}

/** A page's CSRF token, as the signed-in viewer's forms carry it. */
export async function csrfTokenOf(cookie: string, path = '/logout'): Promise<string> {
  const html = await (await call(path, { headers: { Cookie: cookie } })).text();
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no CSRF token on ${path}`);
  return match[1];
}

// Old addresses of imported posts and pages (Ghost `/slug/`, WordPress `/2024/05/01/slug/` and `/?p=42`) keep
// working: each answers with a permanent redirect to its address here. Only asked about requests nothing else
// answered, so a page's own traffic never pays for it.
import { timed, type Deps } from './context';
import { findRedirectTarget } from './db/imports';
import { redirectPath } from './importers/source';

/** Paths that can never be an old address (our own API and files): answered 404 without a lookup. */
const OWN_PREFIXES = ['/api/', '/admin', '/static/', '/media/', '/posts/'];

/** Where an old address lives now (`/posts/slug`, or `/slug` for a page), or null. `wordpressId` is the `p` of `/?p=42`. */
export async function findFormerAddress(deps: Deps, path: string, wordpressId?: string): Promise<string | null> {
  let key: string;
  if (path === '/' && wordpressId !== undefined) {
    if (!/^\d{1,20}$/.test(wordpressId)) return null;
    key = `/?p=${wordpressId}`;
  } else {
    key = redirectPath(path);
    if (key === '/' || key.length > 500 || OWN_PREFIXES.some((prefix) => key.startsWith(prefix))) return null;
  }
  try {
    const target = await timed(deps, 'db', () => findRedirectTarget(deps.sqlRead, key));
    if (!target) return null;
    const location = target.type === 'page' ? `/${target.slug}` : `/posts/${target.slug}`;
    // A page's old address can be its new one less a slash (Ghost's `/about/`); never answer a path with itself.
    return location === path ? null : location;
  } catch (error) {
    // The database is unreachable: the address gets the 404 it would have had, not a 503 for a page that is not there.
    deps.cache.log?.(`redirect lookup for ${key} failed`, error);
    return null;
  }
}

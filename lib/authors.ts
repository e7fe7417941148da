// Authors as visitors see them: a public profile (name, bio) and their published posts, each read through the cache.
import { cacheKeys, readThrough, type CacheResult } from './cache';
import { timed, type Deps } from './context';
import { getPublicAuthor } from './db/users';
import { searchPosts } from './posts';
import type { PostPage } from './schemas/post';
import type { PublicProfile } from './schemas/user';
import { toProfile, toPublicProfile } from './users';

export function readAuthor(deps: Deps, username: string): Promise<CacheResult<PublicProfile>> {
  return readThrough(deps.cache, cacheKeys.author(username), async () => {
    const user = await timed(deps, 'db', () => getPublicAuthor(deps.sqlRead, username));
    return user ? toPublicProfile(toProfile(user)) : null;
  });
}

/** The author and one page of their published posts, read side by side (on a hit: one round trip). */
export async function readAuthorPage(
  deps: Deps,
  username: string,
  page: { limit: number; cursor?: string },
): Promise<{ author: PublicProfile | null; posts: PostPage; status: CacheResult<unknown>['status'] }> {
  const [author, posts] = await Promise.all([
    readAuthor(deps, username),
    searchPosts(deps, { ...page, author: username, status: 'published', fields: undefined }, null),
  ]);
  return { author: author.value, posts: posts.value ?? { items: [], nextCursor: null }, status: posts.status };
}

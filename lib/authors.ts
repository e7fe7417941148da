// Authors as visitors see them: a public profile (name, bio) and their published posts.
import { timed, type Deps } from './context';
import { getPublicAuthor } from './db/users';
import { loadPublishedPostPage } from './posts';
import type { PostPage } from './schemas/post';
import type { PublicProfile } from './schemas/user';
import { toProfile, toPublicProfile } from './users';

async function loadAuthor(deps: Deps, username: string): Promise<PublicProfile | null> {
  const user = await timed(deps, 'db', () => getPublicAuthor(deps.sqlRead, username));
  return user ? toPublicProfile(toProfile(user)) : null;
}

/** The author and one page of their published posts, loaded side by side: the load behind the cached page. */
export async function loadAuthorPage(
  deps: Deps,
  username: string,
  page: { limit: number; cursor?: string },
): Promise<{ author: PublicProfile; posts: PostPage } | null> {
  const [author, posts] = await Promise.all([
    loadAuthor(deps, username),
    loadPublishedPostPage(deps, { ...page, author: username }),
  ]);
  return author && { author, posts };
}

// What the admin pages read: the dashboard's posts by status (a writer's own, or everyone's for editors), with
// view counts; and the user search. Always from the primary: writers expect to see what they just saved.
import { hasRole } from './auth/roles';
import { countRecentComments } from './comments';
import { timed, type Deps } from './context';
import * as posts from './db/posts';
import { searchUsers } from './db/users';
import type { PostStatus, PostSummary } from './schemas/post';
import type { AuthUser, UserProfile } from './schemas/user';
import { toProfile } from './users';

export interface DashboardQuery {
  status?: PostStatus;
  author?: string;
  tag?: string;
  q?: string;
}

const DASHBOARD_LIMIT = 50;
/** The dashboard counts comments from this many days back. */
export const RECENT_COMMENT_DAYS = 7;
const STATUSES: PostStatus[] = ['draft', 'scheduled', 'published'];

export async function readDashboard(deps: Deps, viewer: AuthUser, query: DashboardQuery) {
  const canSeeAll = hasRole(viewer, 'editor');
  const filter = canSeeAll ? { author: query.author, tag: query.tag, q: query.q } : { authorId: viewer.id, q: query.q };
  const statuses = query.status ? [query.status] : STATUSES;
  // Moderators also see how many comments came in lately; that count runs beside the post lists.
  const [pages, recentComments] = await Promise.all([
    timed(deps, 'db', () =>
      Promise.all(statuses.map((status) => posts.listPosts(deps.sql, { status, limit: DASHBOARD_LIMIT, ...filter }))),
    ),
    canSeeAll ? countRecentComments(deps, RECENT_COMMENT_DAYS) : Promise.resolve(null),
  ]);
  const sections = statuses.map((status, i) => {
    const page = pages[i] as { items: PostSummary[]; nextCursor: string | null };
    return { status, posts: page.items, more: page.nextCursor !== null };
  });
  const ids = sections.flatMap((section) => section.posts.map((post) => post.id));
  const views = await timed(deps, 'db', () => posts.getPostViews(deps.sql, ids));
  return { canSeeAll, sections, views, recentComments };
}

export async function findUsers(deps: Deps, text: string): Promise<UserProfile[]> {
  return (await timed(deps, 'db', () => searchUsers(deps.sql, text.trim(), 100))).map(toProfile);
}

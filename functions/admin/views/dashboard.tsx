// The dashboard: posts by status with dates and view counts; editors see everyone's, filtered and searched.
import { RECENT_COMMENT_DAYS } from '../../../lib/admin';
import type { PostStatus, PostSummary } from '../../../lib/schemas/post';
import type { AuthUser } from '../../../lib/schemas/user';
import { utcToZoned } from '../../../lib/zoned-time';
import { AdminLayout, Notice } from './layout';

export interface DashboardFilter {
  status?: PostStatus;
  author?: string;
  tag?: string;
  q?: string;
}

export interface DashboardProps {
  user: AuthUser;
  canSeeAll: boolean;
  filter: DashboardFilter;
  sections: { status: PostStatus; posts: PostSummary[]; more: boolean }[];
  views: Record<number, number>;
  /** Comments of the last week, for moderators (null for authors). */
  recentComments: number | null;
  timeZone: string;
  message?: string;
}

const headings: Record<PostStatus, string> = { draft: 'Drafts', scheduled: 'Scheduled', published: 'Published' };

export function Dashboard(props: DashboardProps) {
  const { user, canSeeAll, filter, sections, views, recentComments, timeZone, message } = props;
  return (
    <AdminLayout title="Posts" user={user}>
      <h1>{canSeeAll ? 'All posts' : 'My posts'}</h1>
      <Notice message={message} />
      {recentComments !== null ? (
        <p class="recent-comments">
          <a href="/admin/comments">
            {recentComments === 1 ? '1 comment' : `${recentComments} comments`} in the last {RECENT_COMMENT_DAYS} days
          </a>
        </p>
      ) : null}
      {canSeeAll ? (
        <form class="filters" method="get" action="/admin">
          <input type="search" name="q" value={filter.q ?? ''} placeholder="Search" aria-label="Search" />
          <input name="author" value={filter.author ?? ''} placeholder="Author username" aria-label="Author" />
          <input name="tag" value={filter.tag ?? ''} placeholder="Tag slug" aria-label="Tag" />
          <select name="status" aria-label="Status">
            <option value="">Any status</option>
            {(['draft', 'scheduled', 'published'] as const).map((status) => (
              <option value={status} selected={filter.status === status}>
                {headings[status]}
              </option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </form>
      ) : null}
      {sections.map(({ status, posts, more }) => (
        <section class={`posts-${status}`}>
          <h2>{headings[status]}</h2>
          {posts.length === 0 ? (
            <p>None.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Title</th>
                  {canSeeAll ? <th>Author</th> : null}
                  <th>{status === 'draft' ? '' : status === 'scheduled' ? `Goes out (${timeZone})` : 'Published'}</th>
                  <th>Views</th>
                </tr>
              </thead>
              <tbody>
                {posts.map((post) => (
                  <tr>
                    <td>
                      <a href={`/admin/posts/${post.id}/edit`}>{post.title}</a>
                    </td>
                    {canSeeAll ? <td>{post.author.username}</td> : null}
                    <td>{post.publishedAt ? utcToZoned(post.publishedAt, timeZone).replace('T', ' ') : ''}</td>
                    <td>{views[post.id] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {more ? <p>Showing the newest {posts.length}; filter to narrow the list.</p> : null}
        </section>
      ))}
    </AdminLayout>
  );
}

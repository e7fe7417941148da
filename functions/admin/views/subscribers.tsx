// Admins' subscriber list: the counts, a search by address, one page at a time (newest first), remove, export.
import type { SubscriberCounts, SubscriberRecord } from '../../../lib/newsletter/admin';
import type { AuthUser } from '../../../lib/schemas/user';
import { utcToZoned } from '../../../lib/zoned-time';
import { CsrfField } from '../../pages/views/viewer-parts';
import { AdminLayout, Notice } from './layout';

export function subscribersHref(q: string, cursor?: string): string {
  const query = new URLSearchParams();
  if (q) query.set('q', q);
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return text ? `/admin/subscribers?${text}` : '/admin/subscribers';
}

export function SubscribersPage(props: {
  user: AuthUser;
  csrfToken: string;
  counts: SubscriberCounts;
  subscribers: SubscriberRecord[];
  q: string;
  cursor?: string;
  nextCursor: string | null;
  timeZone: string;
  message?: string;
  error?: string;
}) {
  const { user, csrfToken, counts, subscribers, q, cursor, nextCursor, timeZone, message, error } = props;
  return (
    <AdminLayout title="Subscribers" user={user}>
      <h1>Subscribers</h1>
      <Notice message={message} error={error} />
      <p class="subscriber-counts">
        <strong>{counts.confirmed}</strong> confirmed, <strong>{counts.pending}</strong> waiting for confirmation
        (forgotten after a week). <a href="/admin/subscribers/export">Download all as CSV</a>
      </p>
      <form class="filters" method="get" action="/admin/subscribers" role="search">
        <input type="search" name="q" value={q} placeholder="Part of an address" aria-label="Search by address" />
        <button type="submit">Search</button>
      </form>
      {subscribers.length === 0 ? (
        <p class="empty">{cursor ? 'No more subscribers.' : q ? 'No address matches.' : 'No subscribers yet.'}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Address</th>
              <th>Status</th>
              <th>Tags</th>
              <th>Since ({timeZone})</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {subscribers.map((subscriber) => (
              <tr>
                <td>{subscriber.email}</td>
                <td>{subscriber.confirmedAt ? 'confirmed' : 'pending'}</td>
                <td>{subscriber.tags.length > 0 ? subscriber.tags.join(', ') : 'all posts'}</td>
                <td>
                  <time datetime={subscriber.confirmedAt ?? subscriber.createdAt}>
                    {utcToZoned(subscriber.confirmedAt ?? subscriber.createdAt, timeZone).replace('T', ' ')}
                  </time>
                </td>
                <td>
                  <form method="post" action={`/admin/subscribers/${subscriber.id}/delete`} class="inline">
                    <CsrfField token={csrfToken} />
                    <input type="hidden" name="back" value={subscribersHref(q, cursor)} />
                    <button type="submit" class="danger" aria-label={`Remove ${subscriber.email}`}>
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="pager">
        {cursor ? <a href={subscribersHref(q)}>Newest</a> : null}
        {cursor && nextCursor ? ' · ' : null}
        {nextCursor ? (
          <a href={subscribersHref(q, nextCursor)} rel="next">
            Older subscribers
          </a>
        ) : null}
      </p>
    </AdminLayout>
  );
}

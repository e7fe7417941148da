// Editors' list of pages (About, Contact…): each with its status, address and edit link, and a way to write one.
import type { PageSummary } from '../../../lib/schemas/page';
import type { AuthUser } from '../../../lib/schemas/user';
import { AdminLayout, Notice } from './layout';

export function PagesList({ user, pages, message }: { user: AuthUser; pages: PageSummary[]; message?: string }) {
  return (
    <AdminLayout title="Pages" user={user}>
      <h1>Pages</h1>
      <Notice message={message} />
      <p>
        Pages are served at their own address (<code>/about</code>) and never listed among the posts.{' '}
        <a href="/admin/pages/new">New page</a>
      </p>
      {pages.length === 0 ? (
        <p>No pages yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((page) => (
              <tr>
                <td>
                  <a href={`/admin/pages/${page.id}/edit`}>{page.title}</a>
                </td>
                <td>{page.status === 'published' ? <a href={`/${page.slug}`}>/{page.slug}</a> : `/${page.slug}`}</td>
                <td>{page.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

// Editors' tag page: rename and describe each tag, merge one into another, delete the ones no post carries.
import type { Tag } from '../../../lib/schemas/tag';
import type { AuthUser } from '../../../lib/schemas/user';
import { CsrfField } from '../../pages/views/viewer-parts';
import { AdminLayout, Notice } from './layout';

export function TagsPage({
  user,
  csrfToken,
  tags,
  message,
  error,
}: {
  user: AuthUser;
  csrfToken: string;
  tags: (Tag & { usage: number })[];
  message?: string;
  error?: string;
}) {
  return (
    <AdminLayout title="Tags" user={user}>
      <h1>Tags</h1>
      <Notice message={message} error={error} />
      <form method="post" action="/admin/tags/merge" class="filters">
        <CsrfField token={csrfToken} />
        Merge
        <select name="from" aria-label="Tag to merge away">
          {tags.map((tag) => (
            <option value={tag.slug}>{tag.name}</option>
          ))}
        </select>
        into
        <select name="into" aria-label="Tag to keep">
          {tags.map((tag) => (
            <option value={tag.slug}>{tag.name}</option>
          ))}
        </select>
        <button type="submit">Merge</button>
      </form>
      <table>
        <thead>
          <tr>
            <th>Name and description</th>
            <th>Posts</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {tags.map((tag) => (
            <tr>
              <td>
                <form method="post" action={`/admin/tags/${tag.slug}`} class="inline">
                  <CsrfField token={csrfToken} />
                  <input name="name" value={tag.name} aria-label={`Name of ${tag.slug}`} maxlength={60} />
                  <input
                    name="description"
                    value={tag.description}
                    aria-label={`Description of ${tag.slug}`}
                    maxlength={500}
                  />
                  <button type="submit">Save</button>
                </form>
              </td>
              <td>{tag.usage}</td>
              <td>
                {tag.usage === 0 ? (
                  <form method="post" action={`/admin/tags/${tag.slug}/delete`} class="inline">
                    <CsrfField token={csrfToken} />
                    <button type="submit" class="danger">
                      Delete
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

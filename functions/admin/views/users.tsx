// Admins' user list (search, role, disable/enable) and everyone's own profile page.
import type { Role, UserProfile } from '../../../lib/schemas/user';
import type { AuthUser } from '../../../lib/schemas/user';
import { CsrfField } from '../../pages/views/viewer-parts';
import { AdminLayout, FieldError, Notice } from './layout';

const roles: Role[] = ['reader', 'author', 'editor', 'admin'];

export function UsersPage({
  user,
  csrfToken,
  users,
  q,
  message,
  error,
}: {
  user: AuthUser;
  csrfToken: string;
  users: UserProfile[];
  q: string;
  message?: string;
  error?: string;
}) {
  return (
    <AdminLayout title="Users" user={user}>
      <h1>Users</h1>
      <Notice message={message} error={error} />
      <form class="filters" method="get" action="/admin/users">
        <input type="search" name="q" value={q} placeholder="Username, name or email" aria-label="Search users" />
        <button type="submit">Search</button>
      </form>
      <table>
        <thead>
          <tr>
            <th>User</th>
            <th>Email</th>
            <th>Role</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>
                {u.displayName} <small>@{u.username}</small>
              </td>
              <td>{u.email}</td>
              <td>
                <form method="post" action={`/admin/users/${u.id}`} class="inline">
                  <CsrfField token={csrfToken} />
                  <select name="role" aria-label={`Role of ${u.username}`}>
                    {roles.map((role) => (
                      <option value={role} selected={role === u.role}>
                        {role}
                      </option>
                    ))}
                  </select>
                  <button type="submit">Change</button>
                </form>
              </td>
              <td>
                <form method="post" action={`/admin/users/${u.id}`} class="inline">
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="disabled" value={u.disabled ? 'false' : 'true'} />
                  {u.disabled ? 'disabled ' : 'active '}
                  <button type="submit">{u.disabled ? 'Enable' : 'Disable'}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

export function ProfilePage({
  user,
  csrfToken,
  profile,
  message,
  error,
  fieldErrors,
}: {
  user: AuthUser;
  csrfToken: string;
  profile: UserProfile;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
}) {
  return (
    <AdminLayout title="Your profile" user={user}>
      <h1>Your profile</h1>
      <Notice message={message} error={error} />
      {profile.avatarUrl ? <img class="avatar" src={profile.avatarUrl} alt="" width={96} height={96} /> : null}
      <form method="post" action="/admin/profile" enctype="multipart/form-data">
        <CsrfField token={csrfToken} />
        <label>
          Display name
          <input name="displayName" value={profile.displayName} required maxlength={80} />
          <FieldError errors={fieldErrors} name="displayName" />
        </label>
        <label>
          Bio
          <textarea name="bio" rows={4} maxlength={2000}>
            {profile.bio}
          </textarea>
          <FieldError errors={fieldErrors} name="bio" />
        </label>
        <label>
          Avatar <small>(JPEG, PNG, WebP or GIF, up to 5 MB)</small>
          <input type="file" name="avatar" accept="image/jpeg,image/png,image/webp,image/gif" />
        </label>
        <button type="submit">Save profile</button>
      </form>
      <h2>Email</h2>
      <p>
        {profile.email}{' '}
        {profile.emailVerifiedAt ? (
          <small>(confirmed)</small>
        ) : (
          <small>
            (not confirmed yet: <a href="/verify-email?next=%2Fadmin%2Fprofile">confirm it</a>)
          </small>
        )}
      </p>
      <form method="post" action="/admin/profile/email">
        <CsrfField token={csrfToken} />
        <label>
          New address <small>(we mail it a link; the change happens when you open it)</small>
          <input type="email" name="email" autocomplete="email" required maxlength={254} />
          <FieldError errors={fieldErrors} name="email" />
        </label>
        <label>
          Current password
          <input type="password" name="currentPassword" autocomplete="current-password" required />
        </label>
        <button type="submit">Change address</button>
      </form>
      <h2>Mail from this blog</h2>
      <form method="post" action="/admin/profile/notifications">
        <CsrfField token={csrfToken} />
        <label class="checkbox">
          <input type="checkbox" name="notifyComments" value="on" checked={profile.notifyComments} /> New comments on my
          posts
        </label>
        <label class="checkbox">
          <input type="checkbox" name="notifyReplies" value="on" checked={profile.notifyReplies} /> Replies to my
          comments
        </label>
        <button type="submit">Save mail settings</button>
      </form>
      <h2>Password</h2>
      <form method="post" action="/admin/profile/password">
        <CsrfField token={csrfToken} />
        <label>
          Current password
          <input type="password" name="currentPassword" autocomplete="current-password" required />
        </label>
        <label>
          New password
          <input type="password" name="password" autocomplete="new-password" required minlength={10} />
          <FieldError errors={fieldErrors} name="password" />
        </label>
        <button type="submit">Change password</button>
      </form>
    </AdminLayout>
  );
}

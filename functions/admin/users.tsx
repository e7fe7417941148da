// /admin/users (admins: search, change role, disable and re-enable) and /admin/profile (everyone who writes: name,
// bio, avatar from R2, password). Changes go through lib/users, whose rules (admins cannot demote or disable
// themselves, so the last admin stays one; the current password for a new one) are the API's.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findUsers } from '../../lib/admin';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import { uploadImage } from '../../lib/media';
import { Bio, DisplayName, Email, NewPassword, Role, type UpdateUserBody } from '../../lib/schemas/user';
import { readUserProfile, updateUserAccount } from '../../lib/users';
import { requireSignedIn, signedInSession } from '../auth/session';
import { fieldMessages, readForm } from './form';
import { ProfilePage, UsersPage } from './views/users';

function expected(error: unknown): AppError {
  const appError = error instanceof AppError ? error : fromDatabaseError(error);
  if (!appError || appError.status >= 500) throw error;
  return appError;
}

const UserChange = z.union([
  z.object({ role: Role }),
  z.object({ disabled: z.enum(['true', 'false']).transform((value) => value === 'true') }),
]);

async function usersPage(c: Context<AppEnv>, notice: { message?: string; error?: string } = {}, status = 200) {
  const { user, csrfToken } = await signedInSession(c);
  const q = c.req.query('q') ?? '';
  const users = await findUsers(c.var.deps, q.slice(0, 200));
  return c.html(<UsersPage user={user} csrfToken={csrfToken} users={users} q={q} {...notice} />, status as 200);
}

async function profilePage(
  c: Context<AppEnv>,
  notice: { message?: string; error?: string; fieldErrors?: Record<string, string> } = {},
  status = 200,
) {
  const { user, csrfToken } = await signedInSession(c);
  const profile = await readUserProfile(c.var.deps, user.id);
  if (!profile) throw new AppError('not_found', 'Your account no longer exists.');
  return c.html(<ProfilePage user={user} csrfToken={csrfToken} profile={profile} {...notice} />, status as 200);
}

const profileNotices: Record<string, string> = {
  '1': 'Profile saved.',
  email: 'We mailed a link to your new address: open it to make the change. Your old address got a notice.',
};

export const adminUsers = new Hono<AppEnv>()
  .get('/admin/users', requireSignedIn('admin'), (c) =>
    usersPage(c, { message: c.req.query('done') ? 'Saved.' : undefined }),
  )
  .post('/admin/users/:id', requireSignedIn('admin'), async (c) => {
    const { user } = await signedInSession(c);
    const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'There is no such user.');
    const form = await readForm(c);
    const change = UserChange.safeParse(
      form.text('role') ? { role: form.text('role') } : { disabled: form.text('disabled') },
    );
    if (!change.success) return usersPage(c, { error: 'Choose a role, or disable or enable the account.' }, 422);
    try {
      await updateUserAccount(c.var.deps, user, id.data, change.data as UpdateUserBody);
    } catch (error) {
      const refusal = expected(error);
      return usersPage(c, { error: refusal.message }, refusal.status);
    }
    return c.redirect('/admin/users?done=1', 303);
  })
  .get('/admin/profile', requireSignedIn('reader'), (c) =>
    profilePage(c, { message: profileNotices[c.req.query('done') ?? ''] }),
  )
  .post('/admin/profile', requireSignedIn('reader'), async (c) => {
    const { user } = await signedInSession(c);
    const form = await readForm(c);
    const parsed = z.object({ displayName: DisplayName, bio: Bio }).safeParse({
      displayName: form.text('displayName'),
      bio: form.text('bio'),
    });
    if (!parsed.success) return profilePage(c, { fieldErrors: fieldMessages(parsed.error.issues) }, 422);
    const changes: UpdateUserBody = { ...parsed.data };
    try {
      const avatar = form.file('avatar');
      if (avatar) {
        const bytes = new Uint8Array(await avatar.arrayBuffer());
        const { media } = await uploadImage(c.var.deps, user, { bytes, name: avatar.name });
        // Stored absolute: avatar URLs are http(s) URLs (they may point elsewhere too).
        changes.avatarUrl = new URL(media.url, c.var.deps.config.SITE_URL).href;
      }
      await updateUserAccount(c.var.deps, user, user.id, changes);
    } catch (error) {
      const refusal = expected(error);
      return profilePage(c, { error: refusal.message }, refusal.status);
    }
    return c.redirect('/admin/profile?done=1', 303);
  })
  .post('/admin/profile/email', requireSignedIn('reader'), async (c) => {
    const { user } = await signedInSession(c);
    const form = await readForm(c);
    const email = Email.safeParse(form.text('email'));
    if (!email.success) {
      return profilePage(c, { fieldErrors: { email: email.error.issues[0]?.message ?? 'invalid' } }, 422);
    }
    try {
      const profile = await updateUserAccount(c.var.deps, user, user.id, {
        email: email.data,
        currentPassword: form.text('currentPassword'),
      });
      if (!profile.pendingEmail) return profilePage(c, { message: 'That is already your address.' });
    } catch (error) {
      const refusal = expected(error);
      return profilePage(c, { error: refusal.message }, refusal.status);
    }
    return c.redirect('/admin/profile?done=email', 303);
  })
  .post('/admin/profile/notifications', requireSignedIn('reader'), async (c) => {
    const { user } = await signedInSession(c);
    const form = await readForm(c);
    // An unchecked box is simply absent from the form.
    await updateUserAccount(c.var.deps, user, user.id, {
      notifyComments: form.text('notifyComments') === 'on',
      notifyReplies: form.text('notifyReplies') === 'on',
    });
    return c.redirect('/admin/profile?done=1', 303);
  })
  .post('/admin/profile/password', requireSignedIn('reader'), async (c) => {
    const { user } = await signedInSession(c);
    const form = await readForm(c);
    const password = NewPassword.safeParse(form.text('password'));
    if (!password.success) {
      return profilePage(c, { fieldErrors: { password: fieldMessages(password.error.issues).form ?? 'invalid' } }, 422);
    }
    try {
      await updateUserAccount(c.var.deps, user, user.id, {
        password: password.data,
        currentPassword: form.text('currentPassword'),
      });
    } catch (error) {
      const refusal = expected(error);
      return profilePage(c, { error: refusal.message }, refusal.status);
    }
    // A new password ends every session, this one included: sign in again with it.
    return c.redirect('/login?next=%2Fadmin%2Fprofile', 303);
  });

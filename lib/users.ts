// Users: reading them through the cache (authentication does it on every request with a token) and the account
// flows behind /api/auth/register and /api/users. Every change drops the user's cache entry.
import { requestEmailChange } from './auth/email-verification';
import { hashPassword, verifyPassword } from './auth/password';
import { enforceRateLimits } from './auth/rate-limit';
import { hasRole } from './auth/roles';
import { revokeUserSessions } from './auth/sessions';
import { invalidateQuietly, readThrough } from './cache';
import { cacheKeys, cacheTags, postEntries } from './cache-keys';
import { timed, type Deps } from './context';
import {
  deleteUser,
  deleteUserReassigningPosts,
  getUserByEmail,
  getUserById,
  insertUser,
  listUsers,
  updateUser,
  type UserChanges,
  type UserRecord,
} from './db/users';
import { listPostSlugsByAuthor } from './db/posts';
import { AppError } from './errors';
import { readSettings } from './settings';
import type {
  AuthUser,
  CreateUserBody,
  ListUsersQuery,
  PublicProfile,
  RegisterBody,
  UpdateUserBody,
  UserPage,
  UserProfile,
} from './schemas/user';

/** Drops the cached profile after a change made outside this module (a password reset, a confirmed address). */
export function invalidateUserProfile(deps: Deps, id: number): Promise<void> {
  return invalidateQuietly(deps.cache, [cacheKeys.user(id)]);
}

export function toProfile(user: UserRecord): UserProfile {
  const { passwordHash: _secret, ...profile } = user;
  return profile;
}

export function toPublicProfile(profile: UserProfile): PublicProfile {
  const { id, username, displayName, bio, avatarUrl, role, createdAt } = profile;
  return { id, username, displayName, bio, avatarUrl, role, createdAt };
}

export async function readUserProfile(deps: Deps, id: number): Promise<UserProfile | null> {
  const { value } = await readThrough(deps.cache, cacheKeys.user(id), async () => {
    // Always the primary: a lagging replica could refill a just-disabled or demoted user, and authentication
    // trusts this entry for the whole fresh window.
    const user = await timed(deps, 'db', () => getUserById(deps.sql, id));
    return user ? toProfile(user) : null;
  });
  return value;
}

/** The caller behind a verified token, or null when the account is gone or disabled. */
export async function readActiveUser(deps: Deps, id: number): Promise<AuthUser | null> {
  const profile = await readUserProfile(deps, id);
  if (!profile || profile.disabled) return null;
  return {
    id: profile.id,
    username: profile.username,
    displayName: profile.displayName,
    role: profile.role,
    // A profile cached before addresses were checked has no such field: unknown, so not held against anyone.
    emailVerified: profile.emailVerifiedAt === undefined ? undefined : profile.emailVerifiedAt !== null,
  };
}

/** Admins and the user themself see the whole profile; everyone else the public part, and nothing of a disabled account. */
export async function readUserForViewer(
  deps: Deps,
  viewer: AuthUser | null,
  id: number,
): Promise<UserProfile | PublicProfile | null> {
  const profile = await readUserProfile(deps, id);
  if (!profile) return null;
  if (viewer && (viewer.id === id || hasRole(viewer, 'admin'))) return profile;
  return profile.disabled ? null : toPublicProfile(profile);
}

export async function listUserProfiles(deps: Deps, query: ListUsersQuery): Promise<UserPage> {
  const page = await timed(deps, 'db', () => listUsers(deps.sql, query));
  return { items: page.items.map(toProfile), nextCursor: page.nextCursor };
}

async function createAccount(deps: Deps, fields: CreateUserBody): Promise<UserProfile> {
  const passwordHash = await hashPassword(fields.password, { pepper: deps.config.PASSWORD_PEPPER });
  const user = await timed(deps, 'db', () =>
    insertUser(deps.sql, {
      email: fields.email,
      username: fields.username,
      displayName: fields.displayName ?? fields.username,
      role: fields.role,
      bio: fields.bio,
      passwordHash,
    }),
  );
  // Someone may have asked for this id before it existed; that absence may be cached.
  await invalidateQuietly(deps.cache, [cacheKeys.user(user.id)]);
  return toProfile(user);
}

/** Self-service sign-up: always a reader, limited per IP. */
export async function registerUser(deps: Deps, body: RegisterBody, ip: string): Promise<UserProfile> {
  const settings = await readSettings(deps);
  if (settings.registration === 'closed') throw new AppError('forbidden', 'Sign-up is closed on this site.');
  await enforceRateLimits(deps, [{ rule: 'registerPerIp', identifier: ip }]);
  return createAccount(deps, { ...body, role: 'reader' });
}

/** An admin creating an account with any role. */
export function createUserAccount(deps: Deps, body: CreateUserBody): Promise<UserProfile> {
  return createAccount(deps, body);
}

/**
 * The rules of PATCH /api/users/:id: a user edits themself, an admin edits anyone; role and disabled are
 * admin-only; changing your own password needs the current one; an admin cannot demote or disable themself
 * (so the last admin cannot lock everyone out by accident). A new password or disabling ends every session.
 */
export async function updateUserAccount(
  deps: Deps,
  actor: AuthUser,
  id: number,
  body: UpdateUserBody,
): Promise<UserProfile> {
  const isSelf = actor.id === id;
  const isAdmin = hasRole(actor, 'admin');
  if (!isSelf && !isAdmin) throw new AppError('forbidden', 'You can only change your own account.');
  if ((body.role !== undefined || body.disabled !== undefined) && !isAdmin) {
    throw new AppError('forbidden', 'Only admins can change roles or disable accounts.');
  }
  if (isSelf && ((body.role !== undefined && body.role !== 'admin') || body.disabled === true)) {
    throw new AppError('conflict', 'Admins cannot demote or disable themselves; ask another admin.');
  }
  const { currentPassword, password, ...fields } = body;
  const changes: UserChanges = { ...fields };
  // The password guards the sign-in itself: changing it, or the email that signs in, needs the current one.
  const current =
    isSelf && (password !== undefined || fields.email !== undefined)
      ? await checkCurrentPassword(deps, id, currentPassword)
      : null;
  // Your own new address takes effect only once the link mailed to it is opened (lib/auth/email-verification.ts).
  let pendingEmail: string | undefined;
  if (current && fields.email !== undefined) {
    delete changes.email;
    if (fields.email.toLowerCase() !== current.email.toLowerCase()) {
      const holder = await timed(deps, 'db', () => getUserByEmail(deps.sql, fields.email!));
      if (holder && holder.id !== id) throw new AppError('conflict', 'That email is already registered.');
      pendingEmail = fields.email;
    }
  }
  if (password !== undefined) {
    changes.passwordHash = await hashPassword(password, { pepper: deps.config.PASSWORD_PEPPER });
  }
  const endSessions = changes.passwordHash !== undefined || changes.disabled === true;
  // Roles and account status change only while the acting admin still is one, checked as the change commits.
  const guarded = !isSelf && (changes.role !== undefined || changes.disabled !== undefined);
  const user = await timed(deps, 'db', () =>
    updateUser(deps.sql, id, changes, endSessions ? [revokeUserSessions(deps, id)] : [], {
      actingAdminId: guarded ? actor.id : undefined,
    }),
  );
  if (!user) {
    if (guarded && (await timed(deps, 'db', () => getUserById(deps.sql, id)))) {
      throw new AppError('forbidden', 'You are no longer an admin, so this change was not made.');
    }
    throw new AppError('not_found', `No user has the id ${id}.`);
  }
  // Posts, lists and feeds carry the author's names: a rename must drop them too. The author page (cached under
  // the posts tag) also shows the bio and disappears with a disabled account.
  const renamed = fields.username !== undefined || fields.displayName !== undefined;
  const authorPageChanged =
    renamed || fields.bio !== undefined || fields.disabled !== undefined || fields.role !== undefined;
  const postKeys = renamed
    ? (await timed(deps, 'db', () => listPostSlugsByAuthor(deps.sql, id))).flatMap((slug) => postEntries(slug))
    : [];
  // Comment threads show names, and hide disabled users' comments: a rename or (dis/en)abling drops them all.
  const threads = renamed || fields.disabled !== undefined ? [cacheTags.comments] : [];
  await invalidateQuietly(
    deps.cache,
    [cacheKeys.user(id), ...postKeys],
    [...(authorPageChanged ? [cacheTags.posts] : []), ...threads],
  );
  if (pendingEmail) {
    await requestEmailChange(deps, user, pendingEmail);
    return { ...toProfile(user), pendingEmail };
  }
  return toProfile(user);
}

async function checkCurrentPassword(deps: Deps, id: number, currentPassword: string | undefined): Promise<UserRecord> {
  if (!currentPassword) {
    throw new AppError('validation_failed', 'Changing your password or email needs your current password.', {
      errors: [{ path: 'body.currentPassword', message: 'required when changing your own password or email' }],
    });
  }
  const user = await timed(deps, 'db', () => getUserById(deps.sql, id));
  if (!user) throw new AppError('not_found', `No user has the id ${id}.`);
  // A yes/no answer on the password is a login in disguise: whoever holds a stolen session must not be able to
  // guess the real password here faster than at the sign-in form.
  // Keyed on the account id, not the email: changing the email must not buy a fresh budget of guesses.
  await enforceRateLimits(deps, [{ rule: 'passwordCheckPerAccount', identifier: `user:${id}` }]);
  const { valid } = await verifyPassword(currentPassword, user.passwordHash, { pepper: deps.config.PASSWORD_PEPPER });
  if (!valid) throw new AppError('forbidden', 'The current password is not correct.');
  return user;
}

/**
 * Deletes an account. One with posts is refused unless `reassignTo` names who takes the posts over; then both
 * happen in one transaction. Admins cannot delete themselves.
 */
export async function deleteUserAccount(deps: Deps, actor: AuthUser, id: number, reassignTo?: number): Promise<void> {
  if (actor.id === id) throw new AppError('conflict', 'Admins cannot delete their own account; ask another admin.');
  if (reassignTo === undefined) {
    const outcome = await timed(deps, 'db', () => deleteUser(deps.sql, id));
    if (outcome.status === 'not_found') throw new AppError('not_found', `No user has the id ${id}.`);
    if (outcome.status === 'has_posts') {
      throw new AppError(
        'conflict',
        `This user has ${outcome.posts} post(s). Delete again with ?reassignTo=<userId> to give them to someone else first.`,
        { posts: outcome.posts },
      );
    }
    // The posts tag carries the author page, which must not outlive the account.
    await invalidateQuietly(deps.cache, [cacheKeys.user(id)], [cacheTags.posts]);
    return;
  }
  await checkHeir(deps, id, reassignTo);
  const result = await timed(deps, 'db', () => deleteUserReassigningPosts(deps.sql, id, reassignTo));
  if (!result) throw new AppError('not_found', `No user has the id ${id}.`);
  // Every page that names the old author is stale: the lists (by tag) and each moved post's own entry.
  await invalidateQuietly(
    deps.cache,
    [cacheKeys.user(id), ...result.movedSlugs.flatMap((slug) => postEntries(slug))],
    [cacheTags.posts],
  );
}

async function checkHeir(deps: Deps, id: number, reassignTo: number): Promise<void> {
  const invalid = (message: string) =>
    new AppError('validation_failed', message, { errors: [{ path: 'query.reassignTo', message }] });
  if (reassignTo === id) throw invalid('cannot be the user being deleted');
  const heir = await timed(deps, 'db', () => getUserById(deps.sql, reassignTo));
  if (!heir) throw invalid('names no existing user');
  if (!hasRole(heir, 'author')) throw invalid('must be an author, editor or admin');
  if (heir.disabled) throw invalid('must not be a disabled account');
}

// Reading users through the cache; used by authentication on every request that carries a token.
import { cacheKeys, readThrough } from './cache';
import { timed, type Deps } from './context';
import { getUserById, type UserRecord } from './db/users';
import type { AuthUser, UserProfile } from './schemas/user';

export function toProfile(user: UserRecord): UserProfile {
  const { passwordHash: _secret, ...profile } = user;
  return profile;
}

export async function readUserProfile(deps: Deps, id: number): Promise<UserProfile | null> {
  const { value } = await readThrough(deps.cache, cacheKeys.user(id), async () => {
    const user = await timed(deps, 'db', () => getUserById(deps.sqlRead, id));
    return user ? toProfile(user) : null;
  });
  return value;
}

/** The caller behind a verified token, or null when the account is gone or disabled. */
export async function readActiveUser(deps: Deps, id: number): Promise<AuthUser | null> {
  const profile = await readUserProfile(deps, id);
  if (!profile || profile.disabled) return null;
  return { id: profile.id, username: profile.username, displayName: profile.displayName, role: profile.role };
}

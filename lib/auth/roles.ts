// Who may do what. Roles are ordered: each one can do everything the ones below it can.
import type { AuthUser, Role } from '../schemas/user';

const rank: Record<Role, number> = { reader: 0, author: 1, editor: 2, admin: 3 };

export function hasRole(user: Pick<AuthUser, 'role'> | null, minimum: Role): boolean {
  return user !== null && rank[user.role] >= rank[minimum];
}

/** Authors edit their own posts; editors and admins edit everyone's. */
export function canEditPost(user: AuthUser | null, post: { authorId: number }): boolean {
  if (!user) return false;
  return hasRole(user, 'editor') || (hasRole(user, 'author') && user.id === post.authorId);
}

/** Drafts and scheduled posts are visible to their author and to editors. */
export function canSeeUnpublished(user: AuthUser | null, post: { authorId: number }): boolean {
  return canEditPost(user, post);
}

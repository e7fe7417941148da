// Who may comment, as far as their address goes: readers whose address is not confirmed may comment only if the
// site allows it. Staff accounts (authors and up) are made by an admin and are never held back.
import type { Deps } from './context';
import { AppError } from './errors';
import { readSettings } from './settings';
import type { AuthUser } from './schemas/user';

/**
 * Whether readers with an unconfirmed address may comment: the site settings' comment policy (`open` lets every
 * account comment; `signedIn` only accounts in good standing, so readers must have confirmed their address).
 */
export async function unverifiedReadersMayComment(deps: Deps): Promise<boolean> {
  return (await readSettings(deps)).comments === 'open';
}

/** Pure: the refusal for this commenter under the rule, or null when they may comment. */
export function unverifiedCommentRefusal(user: AuthUser, unverifiedMayComment: boolean): AppError | null {
  if (unverifiedMayComment || user.role !== 'reader' || user.emailVerified !== false) return null;
  return new AppError(
    'forbidden',
    'Confirm your email address before commenting: open the link we mailed you, or ask for a new one at /verify-email.',
  );
}

/** Throws the refusal when this commenter may not comment yet. */
export async function enforceAddressRule(deps: Deps, user: AuthUser): Promise<void> {
  if (user.role !== 'reader' || user.emailVerified !== false) return;
  const refusal = unverifiedCommentRefusal(user, await unverifiedReadersMayComment(deps));
  if (refusal) throw refusal;
}

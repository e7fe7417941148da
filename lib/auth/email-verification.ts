// Proving an address: a mailed link at sign-up (and on request), and a confirmation mailed to a new address before
// an account takes it, with a notice to the old one. Links work once; only their tokens' hashes are stored.
import { timed, type Deps } from '../context';
import { changeEmailWithToken, insertAccountToken, verifyEmailWithToken } from '../db/account-tokens';
import { AppError, fromDatabaseError } from '../errors';
import { MailError, sendMail, sendMailLater, sendMailOrFail } from '../mail/send';
import { mailSiteFor, siteLink } from '../mail/site';
import { confirmNewEmailMail, emailChangeNoticeMail, verifyEmailMail } from '../mail/templates/verify-email';
import { invalidateUserProfile } from '../users';
import { ACCOUNT_TOKEN_PATTERN, ACCOUNT_TOKEN_SECONDS, hashAccountToken, newAccountToken } from './account-tokens';
import { enforceRateLimits } from './rate-limit';

/** Where the mailed links lead; the page uses the token (the link arriving in that mailbox is the proof). */
export const VERIFY_EMAIL_PATH = '/verify-email';
export const CONFIRM_EMAIL_CHANGE_PATH = '/confirm-email';

interface Account {
  id: number;
  email: string;
  displayName: string;
}

async function checkMailLink(deps: Deps, account: Account) {
  await enforceRateLimits(deps, [{ rule: 'accountMailPerAccount', identifier: `user:${account.id}` }]);
  const { token, tokenHash } = await newAccountToken();
  await timed(deps, 'db', () =>
    insertAccountToken(deps.sql, {
      tokenHash,
      userId: account.id,
      purpose: 'verify_email',
      email: account.email,
      lifetimeSeconds: ACCOUNT_TOKEN_SECONDS.verify_email,
    }),
  );
  const link = siteLink(deps.config, VERIFY_EMAIL_PATH, { token });
  const site = await mailSiteFor(deps);
  return { ...verifyEmailMail({ site, link, name: account.displayName }), to: account.email, siteName: site.name };
}

/** Mails an address-check link; a failure to send is a 503 that says so ("send it again" from the account). */
export async function sendAddressCheck(deps: Deps, account: Account): Promise<void> {
  await sendMailOrFail(deps, await checkMailLink(deps, account), 'The email to confirm your address');
}

/**
 * At sign-up: the account exists whatever happens to the mail, so a failure is reported as `false` (the page and
 * the API say it could not be sent, and how to ask again) rather than thrown.
 */
export async function sendAddressCheckAfterSignUp(deps: Deps, account: Account): Promise<boolean> {
  try {
    await sendMail(deps, await checkMailLink(deps, account));
    return true;
  } catch (error) {
    const expected = error instanceof MailError || (error instanceof AppError && error.status >= 429);
    if (!expected) throw error;
    deps.cache.log?.('address check not sent at sign-up', error instanceof Error ? error.message : error);
    return false;
  }
}

const invalidLink = (what: string) =>
  new AppError('bad_request', `This ${what} link is invalid, has expired or was already used.`);

/** Uses an address-check token. Returns the account id. */
export async function confirmAddress(deps: Deps, token: string): Promise<number> {
  if (!ACCOUNT_TOKEN_PATTERN.test(token)) throw invalidLink('confirmation');
  const tokenHash = await hashAccountToken(token);
  const userId = await timed(deps, 'db', () => verifyEmailWithToken(deps.sql, tokenHash));
  if (userId === null) throw invalidLink('confirmation');
  await invalidateUserProfile(deps, userId);
  return userId;
}

/**
 * Starts an address change: the new address gets a link that makes the change (the account keeps its address until
 * then), the old one a notice with a way to secure the account. The caller has checked the current password.
 */
export async function requestEmailChange(deps: Deps, account: Account, newEmail: string): Promise<void> {
  await enforceRateLimits(deps, [{ rule: 'accountMailPerAccount', identifier: `user:${account.id}` }]);
  const { token, tokenHash } = await newAccountToken();
  const lifetimeSeconds = ACCOUNT_TOKEN_SECONDS.change_email;
  await timed(deps, 'db', () =>
    insertAccountToken(deps.sql, {
      tokenHash,
      userId: account.id,
      purpose: 'change_email',
      email: newEmail,
      lifetimeSeconds,
    }),
  );
  const site = await mailSiteFor(deps);
  const link = siteLink(deps.config, CONFIRM_EMAIL_CHANGE_PATH, { token });
  await sendMailOrFail(
    deps,
    {
      ...confirmNewEmailMail({ site, link, name: account.displayName, hours: lifetimeSeconds / 3600 }),
      to: newEmail,
      siteName: site.name,
    },
    'The email to confirm your new address',
  );
  const resetLink = siteLink(deps.config, '/forgot');
  sendMailLater(deps, {
    ...emailChangeNoticeMail({ site, name: account.displayName, newEmail, resetLink }),
    to: account.email,
    siteName: site.name,
  });
}

/** Uses an address-change token: the account takes the new address. Returns the account id and address. */
export async function confirmEmailChange(deps: Deps, token: string): Promise<{ userId: number; email: string }> {
  if (!ACCOUNT_TOKEN_PATTERN.test(token)) throw invalidLink('address change');
  const tokenHash = await hashAccountToken(token);
  let changed: { userId: number; email: string } | null;
  try {
    changed = await timed(deps, 'db', () => changeEmailWithToken(deps.sql, tokenHash));
  } catch (error) {
    // Someone else registered the address after the change was asked for (the unique index refused it).
    const refusal = fromDatabaseError(error);
    if (refusal?.code === 'conflict') throw new AppError('conflict', 'Another account uses that address now.');
    throw error;
  }
  if (!changed) throw invalidLink('address change');
  await invalidateUserProfile(deps, changed.userId);
  return changed;
}

// Recovering an account whose password is forgotten: a single-use link, valid for an hour, mailed to the address.
// Asking behaves the same whether or not an account uses the address (a message goes to it either way, and the
// answer is the same), so the form cannot be used to find out who has an account.
import { timed, type Deps } from '../context';
import { insertPasswordResetToken, resetPasswordWithToken } from '../db/account-tokens';
import { AppError } from '../errors';
import { mailSiteFor, siteLink } from '../mail/site';
import { sendMailOrFail } from '../mail/send';
import { passwordResetMail, passwordResetNoAccountMail } from '../mail/templates/password-reset';
import { invalidateUserProfile } from '../users';
import { ACCOUNT_TOKEN_PATTERN, ACCOUNT_TOKEN_SECONDS, hashAccountToken, newAccountToken } from './account-tokens';
import { hashPassword } from './password';
import { accountKey, enforceRateLimits } from './rate-limit';

/** Where the mailed link leads: the page with the new-password form. */
export const RESET_PAGE_PATH = '/reset';

/**
 * Rate limits (per IP and per address) → one statement that finds the account and stores a token for it → one
 * mail. Throws 429/503 from the limits, or 503 when the mail could not be sent (nothing else happened then).
 */
export async function requestPasswordReset(deps: Deps, email: string, ip: string): Promise<void> {
  const account = await accountKey(email);
  await enforceRateLimits(deps, [
    { rule: 'passwordResetPerIp', identifier: ip },
    { rule: 'passwordResetPerAccount', identifier: account },
  ]);
  const { token, tokenHash } = await newAccountToken();
  const lifetimeSeconds = ACCOUNT_TOKEN_SECONDS.password_reset;
  const holder = await timed(deps, 'db', () =>
    insertPasswordResetToken(deps.sql, { email, tokenHash, lifetimeSeconds }),
  );
  const site = await mailSiteFor(deps);
  const mail = holder
    ? passwordResetMail({
        site,
        link: siteLink(deps.config, RESET_PAGE_PATH, { token }),
        minutes: lifetimeSeconds / 60,
      })
    : passwordResetNoAccountMail({ site, signUpLink: siteLink(deps.config, '/register') });
  // To the address as typed for an unknown one, and as stored for an account (the same, but for letter case).
  await sendMailOrFail(
    deps,
    { ...mail, to: holder?.email ?? email, siteName: site.name },
    'The email with your reset link',
  );
}

const invalidLink = () =>
  new AppError('bad_request', 'This reset link is invalid, has expired or was already used. Ask for a new one.');

/** Pure: whether a string could be a reset token at all (the page checks it before showing the form). */
export function looksLikeAccountToken(token: string): boolean {
  return ACCOUNT_TOKEN_PATTERN.test(token);
}

/**
 * Sets a new password with a mailed token, in one statement that also uses the token up, revokes every session of
 * the account (whoever knew the old password is signed out) and voids its other reset links. Returns the user id.
 */
export async function confirmPasswordReset(deps: Deps, token: string, password: string, ip: string): Promise<number> {
  await enforceRateLimits(deps, [{ rule: 'passwordResetConfirmPerIp', identifier: ip }]);
  if (!looksLikeAccountToken(token)) throw invalidLink();
  const [tokenHash, passwordHash] = await Promise.all([
    hashAccountToken(token),
    hashPassword(password, { pepper: deps.config.PASSWORD_PEPPER }),
  ]);
  const outcome = await timed(deps, 'db', () => resetPasswordWithToken(deps.sql, { tokenHash, passwordHash }));
  if (!outcome) throw invalidLink();
  await invalidateUserProfile(deps, outcome.userId);
  return outcome.userId;
}

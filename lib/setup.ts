// First run: a deployment with no admin yet is set up once, in the browser, by whoever opens /setup first. It
// creates the owner (an admin) and names the site; from then on /setup is gone.
import { z } from '@hono/zod-openapi';
import type { ClientInfo } from './auth/login';
import { hashPassword } from './auth/password';
import { enforceRateLimits } from './auth/rate-limit';
import { cacheKeys, invalidateSiteSettings } from './cache-keys';
import { invalidateQuietly } from './cache';
import { timed, type Deps } from './context';
import { adminExists, insertOwnerIfNone } from './db/settings';
import type { UserRecord } from './db/users';
import type { Config } from './env';
import { settingsFields } from './settings/validation';
import { DisplayName, Email, NewPassword, Username } from './schemas/user';

/** The first-run form: the owner's account and the site's title. */
export const SetupBody = z.object({
  displayName: DisplayName,
  username: Username,
  email: Email,
  password: NewPassword,
  title: settingsFields.title,
});
export type SetupBody = z.infer<typeof SetupBody>;

// Once a deployment has an admin it always has one (the last admin can be neither demoted nor disabled), so the
// fact is kept per isolate once true: /admin asks the database at most once per isolate, not on every request.
const ownedSites = new WeakSet<Config>();

/** Whether the site has an admin: the question every /admin request asks before anything else. */
export async function siteHasOwner(deps: Deps): Promise<boolean> {
  if (ownedSites.has(deps.config)) return true;
  const found = await timed(deps, 'db', () => adminExists(deps.sql));
  if (found) ownedSites.add(deps.config);
  return found;
}

/**
 * Creates the owner and saves the title, under the sign-in rate limits; null when the site already has an admin
 * (another setup won the race, or this one came late). Exactly one of any number of concurrent setups succeeds:
 * the database decides (lib/db/settings.ts insertOwnerIfNone).
 */
export async function setUpSite(deps: Deps, body: SetupBody, client: ClientInfo): Promise<UserRecord | null> {
  await enforceRateLimits(deps, [{ rule: 'loginPerIp', identifier: client.ip }]);
  const passwordHash = await hashPassword(body.password, { pepper: deps.config.PASSWORD_PEPPER });
  const owner = await timed(deps, 'db', () =>
    insertOwnerIfNone(
      deps.sql,
      { email: body.email, username: body.username, displayName: body.displayName, role: 'admin', passwordHash },
      body.title,
    ),
  );
  ownedSites.add(deps.config);
  if (!owner) return null;
  // The title shows on every page; the owner's id may have been asked for (and its absence cached) before.
  await Promise.all([invalidateSiteSettings(deps.cache), invalidateQuietly(deps.cache, [cacheKeys.user(owner.id)])]);
  return owner;
}

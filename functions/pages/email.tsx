// The pages mailed links open: /verify-email (confirm an address; signed in without a token, the address's status
// and "send it again"), /confirm-email (take a new address) and /unsubscribe (one-click, RFC 8058, no sign-in).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { confirmAddress, confirmEmailChange, sendAddressCheck } from '../../lib/auth/email-verification';
import { safeNextPath } from '../../lib/auth/web-session';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import { NOTIFICATION_KINDS, unsubscribe } from '../../lib/notifications';
import { readSettings } from '../../lib/settings';
import { readUserProfile } from '../../lib/users';
import { requireSignedIn, signedInSession } from '../auth/session';
import { formTextFields } from '../form';
import { LinkId, unsubscribeLinkQuery } from '../mailed-link';
import {
  AddressConfirmedPage,
  AddressStatusPage,
  MailLinkFailedPage,
  UnsubscribedPage,
  UnsubscribePage,
} from './views/email';

/** An expected refusal (a used link, a limit, mail down) is shown on the page; anything else is a real error. */
function refusal(error: unknown): AppError {
  const appError = error instanceof AppError ? error : fromDatabaseError(error);
  if (!appError || (appError.status >= 500 && appError.code !== 'unavailable')) throw error;
  return appError;
}

async function addressStatus(c: Context<AppEnv>, notice: { sent?: boolean; error?: string }, status = 200) {
  const { user, csrfToken } = await signedInSession(c);
  const [profile, site] = await Promise.all([readUserProfile(c.var.deps, user.id), readSettings(c.var.deps)]);
  if (!profile) throw new AppError('unauthorized', 'The account no longer exists.');
  const next = safeNextPath(c.req.query('next'));
  return c.html(
    <AddressStatusPage
      site={site}
      email={profile.email}
      verified={profile.emailVerifiedAt !== null}
      next={next}
      csrfToken={csrfToken}
      {...notice}
    />,
    status as 200,
  );
}

const UnsubscribeQuery = z.object({
  user: LinkId,
  kind: z.enum(NOTIFICATION_KINDS as ['comments', 'replies']),
  sig: z.string().min(1).max(100),
});

export const emailPages = new Hono<AppEnv>()
  .get('/verify-email', async (c, next) => {
    const token = c.req.query('token');
    c.header('Cache-Control', 'no-store');
    // Without a token this is the signed-in reader's own status page (requireSignedIn below).
    if (token === undefined) return next();
    try {
      await confirmAddress(c.var.deps, token);
    } catch (error) {
      const appError = refusal(error);
      return c.html(
        <MailLinkFailedPage
          site={await readSettings(c.var.deps)}
          title="This link no longer works"
          message={appError.message}
          status={appError.status}
        />,
        appError.status as 400,
      );
    }
    return c.html(<AddressConfirmedPage site={await readSettings(c.var.deps)} />);
  })
  .get('/verify-email', requireSignedIn('reader'), (c) => {
    const sent = c.req.query('sent');
    return addressStatus(c, { sent: sent === '1' ? true : sent === '0' ? false : undefined });
  })
  .post('/verify-email', requireSignedIn('reader'), async (c) => {
    const { user } = await signedInSession(c);
    const next = safeNextPath((await formTextFields(c)).next);
    const profile = await readUserProfile(c.var.deps, user.id);
    if (!profile) throw new AppError('unauthorized', 'The account no longer exists.');
    try {
      await sendAddressCheck(c.var.deps, profile);
    } catch (error) {
      const appError = refusal(error);
      for (const [name, value] of Object.entries(appError.extra.headers ?? {})) c.header(name, value);
      return addressStatus(c, { error: appError.message }, appError.status);
    }
    return c.redirect(`/verify-email?sent=1&next=${encodeURIComponent(next)}`, 303);
  })
  .get('/confirm-email', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      const { email } = await confirmEmailChange(c.var.deps, c.req.query('token') ?? '');
      return c.html(<AddressConfirmedPage site={await readSettings(c.var.deps)} email={email} />);
    } catch (error) {
      const appError = refusal(error);
      return c.html(
        <MailLinkFailedPage
          site={await readSettings(c.var.deps)}
          title="The address was not changed"
          message={appError.message}
          status={appError.status}
        />,
        appError.status as 400,
      );
    }
  })
  .get('/unsubscribe', async (c) => {
    const { kind } = unsubscribeLinkQuery(c, UnsubscribeQuery);
    c.header('Cache-Control', 'no-store');
    const here = new URL(c.req.url);
    return c.html(
      <UnsubscribePage site={await readSettings(c.var.deps)} kind={kind} action={here.pathname + here.search} />,
    );
  })
  // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` here, with no cookie and no Origin, so this route
  // skips the Origin check (functions/auth/session.ts formCsrf); the signed link is its proof.
  .post('/unsubscribe', async (c) => {
    const { user, kind, sig } = unsubscribeLinkQuery(c, UnsubscribeQuery);
    await unsubscribe(c.var.deps, { userId: user, kind, signature: sig });
    c.header('Cache-Control', 'no-store');
    return c.html(<UnsubscribedPage site={await readSettings(c.var.deps)} kind={kind} />);
  });

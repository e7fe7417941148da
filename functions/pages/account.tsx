// /login, /register, /logout for people: HTML forms over the same accounts, rate limits and sessions as the API,
// ending in a session cookie instead of tokens. Failed attempts re-render the form with the reason.
import { Hono, type Context } from 'hono';
import { verifyCredentials } from '../../lib/auth/login';
import { sendAddressCheckAfterSignUp, VERIFY_EMAIL_PATH } from '../../lib/auth/email-verification';
import { confirmPasswordReset, looksLikeAccountToken, requestPasswordReset } from '../../lib/auth/password-reset';
import { csrfTokenMatches, endWebSession, safeNextPath, startWebSession } from '../../lib/auth/web-session';
import type { AppEnv } from '../../lib/env';
import { AppError, fieldErrorsFromZod, fromDatabaseError } from '../../lib/errors';
import { LoginBody, PasswordResetRequestBody } from '../../lib/schemas/auth';
import { NewPassword, RegisterBody } from '../../lib/schemas/user';
import { readSettings } from '../../lib/settings';
import { registerUser } from '../../lib/users';
import { clientInfo } from '../auth/client';
import { formTextFields } from '../form';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from '../auth/session';
import { RESET_REQUESTED } from '../auth/recovery';
import {
  ForgotPasswordPage,
  LoginPage,
  LogoutPage,
  RegisterPage,
  ResetLinkInvalidPage,
  ResetPasswordPage,
  ResetRequestedPage,
  type FormState,
} from './views/account';

/** What /login says after a page sent the reader there (`?done=`). */
const loginNotices: Record<string, string> = {
  reset: 'Your password was changed and every session was signed out. Sign in with the new password.',
};

function fieldErrors(issues: Parameters<typeof fieldErrorsFromZod>[0]): Record<string, string> {
  return Object.fromEntries(fieldErrorsFromZod(issues).map((e) => [e.path, e.message]));
}

/** An expected refusal (wrong password, taken username, rate limit) becomes the form again with its message. */
function refused(c: Context<AppEnv>, error: unknown): AppError {
  const appError = error instanceof AppError ? error : fromDatabaseError(error);
  if (!appError || appError.code === 'internal') throw error;
  for (const [name, value] of Object.entries(appError.extra.headers ?? {})) c.header(name, value);
  return appError;
}

async function signInAndGo(c: Context<AppEnv>, userId: number, next: string): Promise<Response> {
  const session = await startWebSession(c.get('deps'), userId, clientInfo(c).userAgent);
  setSessionCookie(c, session.token, session.expiresAt);
  c.header('Cache-Control', 'no-store');
  return c.redirect(next, 303);
}

export const accountPages = new Hono<AppEnv>()
  .get('/login', async (c) => {
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    const notice = loginNotices[c.req.query('done') ?? ''];
    return c.html(<LoginPage site={site} state={{ next: safeNextPath(c.req.query('next')), notice }} />);
  })
  .post('/login', async (c) => {
    const fields = await formTextFields(c);
    const next = safeNextPath(fields.next);
    const state: FormState = { next, values: { email: fields.email ?? '' } };
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    const parsed = LoginBody.safeParse({ email: fields.email, password: fields.password });
    if (!parsed.success) {
      return c.html(<LoginPage site={site} state={{ ...state, fieldErrors: fieldErrors(parsed.error.issues) }} />, 422);
    }
    try {
      const user = await verifyCredentials(c.get('deps'), parsed.data, clientInfo(c));
      return await signInAndGo(c, user.id, next);
    } catch (error) {
      const appError = refused(c, error);
      return c.html(<LoginPage site={site} state={{ ...state, error: appError.message }} />, appError.status as 401);
    }
  })
  .get('/register', async (c) => {
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    return c.html(<RegisterPage site={site} state={{ next: safeNextPath(c.req.query('next')) }} />);
  })
  .post('/register', async (c) => {
    const fields = await formTextFields(c);
    const next = safeNextPath(fields.next);
    const { password: _password, ...values } = fields;
    const state: FormState = { next, values };
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    // Closed sign-up shows the closed page (403) whatever was sent.
    if (site.registration === 'closed') return c.html(<RegisterPage site={site} state={state} />, 403);
    const parsed = RegisterBody.safeParse({
      email: fields.email,
      username: fields.username,
      displayName: fields.displayName?.trim() ? fields.displayName : undefined,
      password: fields.password,
    });
    if (!parsed.success) {
      return c.html(
        <RegisterPage site={site} state={{ ...state, fieldErrors: fieldErrors(parsed.error.issues) }} />,
        422,
      );
    }
    try {
      const user = await registerUser(c.get('deps'), parsed.data, clientInfo(c).ip);
      const sent = await sendAddressCheckAfterSignUp(c.get('deps'), user);
      // Signed in either way; the next page says whether the address-check mail went out.
      return await signInAndGo(
        c,
        user.id,
        `${VERIFY_EMAIL_PATH}?sent=${sent ? 1 : 0}&next=${encodeURIComponent(next)}`,
      );
    } catch (error) {
      const appError = refused(c, error);
      return c.html(<RegisterPage site={site} state={{ ...state, error: appError.message }} />, appError.status as 409);
    }
  })
  .get('/logout', async (c) => {
    const [session, site] = await Promise.all([c.get('pendingSession'), readSettings(c.var.deps)]);
    c.header('Cache-Control', 'no-store');
    return c.html(<LogoutPage site={site} csrfToken={session?.csrfToken ?? null} />);
  })
  .post('/logout', async (c) => {
    const token = sessionCookieOf(c);
    const session = await c.get('pendingSession');
    if (token && session) {
      // Another site cannot sign a reader out either: the Origin check ran, and the token must match.
      const fields = await formTextFields(c);
      if (!csrfTokenMatches(session.csrfToken, fields._csrf)) {
        throw new AppError(
          'forbidden',
          'This form has expired or did not come from this site. Reload it and try again.',
        );
      }
      await endWebSession(c.get('deps'), token);
    }
    clearSessionCookie(c);
    c.header('Cache-Control', 'no-store');
    return c.redirect('/', 303);
  })
  .get('/forgot', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(<ForgotPasswordPage site={await readSettings(c.var.deps)} />);
  })
  .post('/forgot', async (c) => {
    const fields = await formTextFields(c);
    const state: FormState = { values: { email: fields.email ?? '' } };
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    const parsed = PasswordResetRequestBody.safeParse({ email: fields.email });
    if (!parsed.success) {
      return c.html(
        <ForgotPasswordPage site={site} state={{ ...state, fieldErrors: fieldErrors(parsed.error.issues) }} />,
        422,
      );
    }
    try {
      await requestPasswordReset(c.get('deps'), parsed.data.email, clientInfo(c).ip);
    } catch (error) {
      const appError = refused(c, error);
      return c.html(
        <ForgotPasswordPage site={site} state={{ ...state, error: appError.message }} />,
        appError.status as 429,
      );
    }
    return c.html(<ResetRequestedPage site={site} message={RESET_REQUESTED} />);
  })
  .get('/reset', async (c) => {
    const token = c.req.query('token') ?? '';
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    // The link is only read here; the token is used when the form is sent, so a mail scanner opening it spends nothing.
    if (!looksLikeAccountToken(token)) {
      return c.html(
        <ResetLinkInvalidPage
          site={site}
          message="This reset link is incomplete. Copy the whole link from the email, or ask for a new one."
        />,
        400,
      );
    }
    return c.html(<ResetPasswordPage site={site} token={token} />);
  })
  .post('/reset', async (c) => {
    const fields = await formTextFields(c);
    const token = fields.token ?? '';
    c.header('Cache-Control', 'no-store');
    const site = await readSettings(c.var.deps);
    const password = NewPassword.safeParse(fields.password ?? '');
    if (!password.success) {
      const fieldErrors = { password: password.error.issues[0]?.message ?? 'is not a valid password' };
      return c.html(<ResetPasswordPage site={site} token={token} state={{ fieldErrors }} />, 422);
    }
    try {
      await confirmPasswordReset(c.get('deps'), token, password.data, clientInfo(c).ip);
    } catch (error) {
      const appError = refused(c, error);
      if (appError.code === 'bad_request') {
        return c.html(<ResetLinkInvalidPage site={site} message={appError.message} />, 400);
      }
      return c.html(
        <ResetPasswordPage site={site} token={token} state={{ error: appError.message }} />,
        appError.status as 429,
      );
    }
    // Every session of the account has ended, this browser's included.
    clearSessionCookie(c);
    return c.redirect('/login?done=reset', 303);
  });

// Sign-in, sign-up and sign-out forms. Plain HTML forms: they work without JavaScript.
import type { SiteSettings } from '../../../lib/settings/schema';
import { Layout } from './layout';
import { CsrfField } from './viewer-parts';

export interface FormState {
  /** What went wrong with the last attempt, shown above the form. */
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  next?: string;
  /** Good news from the step before (e.g. "your password was changed"), shown above the form. */
  notice?: string;
}

export function FieldError({ state, name }: { state: FormState; name: string }) {
  const message = state.fieldErrors?.[name];
  return message ? <p class="field-error">{message}</p> : null;
}

export function ErrorSummary({ state }: { state: FormState }) {
  if (state.error) {
    return (
      <p class="form-error" role="alert">
        {state.error}
      </p>
    );
  }
  return state.notice ? (
    <p class="form-notice" role="status">
      {state.notice}
    </p>
  ) : null;
}

export function LoginPage({ site, state = {} }: { site: SiteSettings; state?: FormState }) {
  const next = state.next ?? '/';
  return (
    <Layout title="Sign in" site={site}>
      <section class="account-form">
        <h1>Sign in</h1>
        <ErrorSummary state={state} />
        <form method="post" action="/login">
          <input type="hidden" name="next" value={next} />
          <label>
            Email
            <input type="email" name="email" required autocomplete="email" value={state.values?.email ?? ''} />
          </label>
          <FieldError state={state} name="email" />
          <label>
            Password
            <input type="password" name="password" required autocomplete="current-password" />
          </label>
          <FieldError state={state} name="password" />
          <button type="submit">Sign in</button>
        </form>
        <p class="muted">
          <a href="/forgot">Forgot your password?</a>
        </p>
        <p class="muted">
          New here? <a href={`/register?next=${encodeURIComponent(next)}`}>Create an account</a>.
        </p>
      </section>
    </Layout>
  );
}

export function RegisterPage({ site, state = {} }: { site: SiteSettings; state?: FormState }) {
  const next = state.next ?? '/';
  if (site.registration === 'closed') {
    return (
      <Layout title="Sign-up is closed" site={site}>
        <section class="account-form">
          <h1>Sign-up is closed</h1>
          <p>This site is not taking new accounts at the moment.</p>
          <p>
            Already have one? <a href={`/login?next=${encodeURIComponent(next)}`}>Sign in</a>.
          </p>
        </section>
      </Layout>
    );
  }
  return (
    <Layout title="Create an account" site={site}>
      <section class="account-form">
        <h1>Create an account</h1>
        <ErrorSummary state={state} />
        <form method="post" action="/register">
          <input type="hidden" name="next" value={next} />
          <label>
            Email
            <input type="email" name="email" required autocomplete="email" value={state.values?.email ?? ''} />
          </label>
          <FieldError state={state} name="email" />
          <label>
            Username (3–32 letters, digits, _ or -)
            <input type="text" name="username" required autocomplete="username" value={state.values?.username ?? ''} />
          </label>
          <FieldError state={state} name="username" />
          <label>
            Display name (optional)
            <input type="text" name="displayName" autocomplete="name" value={state.values?.displayName ?? ''} />
          </label>
          <FieldError state={state} name="displayName" />
          <label>
            Password (at least 10 characters)
            <input type="password" name="password" required autocomplete="new-password" />
          </label>
          <FieldError state={state} name="password" />
          <button type="submit">Create account</button>
        </form>
        <p class="muted">
          Already registered? <a href={`/login?next=${encodeURIComponent(next)}`}>Sign in</a>.
        </p>
      </section>
    </Layout>
  );
}

export function LogoutPage({ site, csrfToken }: { site: SiteSettings; csrfToken: string | null }) {
  return (
    <Layout title="Sign out" site={site}>
      <section class="account-form">
        <h1>Sign out</h1>
        {csrfToken ? (
          <form method="post" action="/logout">
            <CsrfField token={csrfToken} />
            <button type="submit">Sign out of this browser</button>
          </form>
        ) : (
          <p>
            You are not signed in. <a href="/login">Sign in</a>
          </p>
        )}
      </section>
    </Layout>
  );
}

export function ForgotPasswordPage({ site, state = {} }: { site: SiteSettings; state?: FormState }) {
  return (
    <Layout title="Forgot your password?" site={site}>
      <section class="account-form">
        <h1>Forgot your password?</h1>
        <ErrorSummary state={state} />
        <p>Give the address you signed up with. We will mail you a link to choose a new password.</p>
        <form method="post" action="/forgot">
          <label>
            Email
            <input type="email" name="email" required autocomplete="email" value={state.values?.email ?? ''} />
          </label>
          <FieldError state={state} name="email" />
          <button type="submit">Mail me a link</button>
        </form>
        <p class="muted">
          Remembered it? <a href="/login">Sign in</a>.
        </p>
      </section>
    </Layout>
  );
}

/** The same page whatever the address: it says what was done, never whether an account uses the address. */
export function ResetRequestedPage({ site, message }: { site: SiteSettings; message: string }) {
  return (
    <Layout title="Check your inbox" site={site}>
      <section class="account-form">
        <h1>Check your inbox</h1>
        <p role="status">{message}</p>
        <p class="muted">
          Nothing arrived after a few minutes? Look in the spam folder, or <a href="/forgot">ask again</a>.
        </p>
      </section>
    </Layout>
  );
}

export function ResetPasswordPage({
  site,
  token,
  state = {},
}: {
  site: SiteSettings;
  token: string;
  state?: FormState;
}) {
  return (
    <Layout title="Choose a new password" site={site}>
      <section class="account-form">
        <h1>Choose a new password</h1>
        <ErrorSummary state={state} />
        <form method="post" action="/reset">
          <input type="hidden" name="token" value={token} />
          <label>
            New password (at least 10 characters)
            <input
              type="password"
              name="password"
              required
              minlength={10}
              maxlength={128}
              autocomplete="new-password"
            />
          </label>
          <FieldError state={state} name="password" />
          <button type="submit">Set the new password</button>
        </form>
        <p class="muted">Setting it signs you out on every device.</p>
      </section>
    </Layout>
  );
}

/** A link that is malformed, used or expired: say so, and offer a new one. */
export function ResetLinkInvalidPage({ site, message }: { site: SiteSettings; message: string }) {
  return (
    <Layout title="This link no longer works" site={site}>
      <section class="account-form">
        <h1>This link no longer works</h1>
        <p class="form-error" role="alert">
          {message}
        </p>
        <p>
          <a href="/forgot">Ask for a new link</a>
        </p>
      </section>
    </Layout>
  );
}

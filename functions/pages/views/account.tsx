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
}

export function FieldError({ state, name }: { state: FormState; name: string }) {
  const message = state.fieldErrors?.[name];
  return message ? <p class="field-error">{message}</p> : null;
}

export function ErrorSummary({ state }: { state: FormState }) {
  return state.error ? (
    <p class="form-error" role="alert">
      {state.error}
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

// The first-run form (/setup): the owner's account and the site's title. A plain form; it works without JavaScript.
import type { SiteSettings } from '../../lib/settings/schema';
import { ErrorSummary, FieldError, type FormState } from '../pages/views/account';
import { Layout } from '../pages/views/layout';

export function SetupPage({ site, state = {} }: { site: SiteSettings; state?: FormState }) {
  const value = (name: string) => state.values?.[name] ?? '';
  return (
    <Layout title="Set up your blog" site={site} seo={{ noindex: true }}>
      <section class="account-form">
        <h1>Set up your blog</h1>
        <p>
          This blog has no owner yet. Create the owner’s account (an admin) and name the site; you can change everything
          else in the settings afterwards. This page disappears once it is done.
        </p>
        <ErrorSummary state={state} />
        <form method="post" action="/setup">
          <label>
            Site title
            <input type="text" name="title" required maxlength={80} value={value('title') || site.title} />
          </label>
          <FieldError state={state} name="title" />
          <label>
            Your name
            <input
              type="text"
              name="displayName"
              required
              maxlength={80}
              autocomplete="name"
              value={value('displayName')}
            />
          </label>
          <FieldError state={state} name="displayName" />
          <label>
            Username (3–32 letters, digits, _ or -)
            <input type="text" name="username" required autocomplete="username" value={value('username')} />
          </label>
          <FieldError state={state} name="username" />
          <label>
            Email
            <input type="email" name="email" required autocomplete="email" value={value('email')} />
          </label>
          <FieldError state={state} name="email" />
          <label>
            Password (at least 10 characters)
            <input type="password" name="password" required autocomplete="new-password" />
          </label>
          <FieldError state={state} name="password" />
          <button type="submit">Create the owner and sign in</button>
        </form>
      </section>
    </Layout>
  );
}

/** For the setup that lost the race (or came late): someone else is the owner now. */
export function AlreadySetUpPage({ site }: { site: SiteSettings }) {
  return (
    <Layout title="Already set up" site={site} seo={{ noindex: true }}>
      <section class="account-form">
        <h1>This blog has just been set up</h1>
        <p>Someone else created the owner’s account a moment before you, so yours was not created.</p>
        <p>
          If that was you in another tab, <a href="/login?next=%2Fadmin">sign in</a>. Otherwise ask the owner for an
          account.
        </p>
      </section>
    </Layout>
  );
}

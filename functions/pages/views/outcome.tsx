// The short pages behind mailed links: the question a link asks before anything changes (a mail scanner opens every
// link, so only the button acts), and the outcome (a status line, good news or the reason it failed, and what next).
import type { SiteSettings } from '../../../lib/settings/schema';
import { Layout } from './layout';

export function Outcome({
  site,
  title,
  message,
  failed,
  children,
}: {
  site: SiteSettings;
  title: string;
  message: string;
  failed?: boolean;
  children?: unknown;
}) {
  return (
    <Layout title={title} site={site}>
      <section class="account-form">
        <h1>{title}</h1>
        <p class={failed ? 'form-error' : 'form-notice'} role={failed ? 'alert' : 'status'}>
          {message}
        </p>
        {children}
      </section>
    </Layout>
  );
}

/** One question and the button that answers it, posting `fields` to `action`. */
export function OneButtonPage({
  site,
  title,
  question,
  action,
  fields,
  button,
}: {
  site: SiteSettings;
  title: string;
  question: string;
  action: string;
  fields: Record<string, string>;
  button: string;
}) {
  return (
    <Layout title={title} site={site}>
      <section class="account-form">
        <h1>{title}</h1>
        <p>{question}</p>
        <form method="post" action={action}>
          {Object.entries(fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit">{button}</button>
        </form>
      </section>
    </Layout>
  );
}

// The short page behind a mailed link or a one-step form: a heading, one status line (good news, or the reason it
// failed) and what to do next.
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

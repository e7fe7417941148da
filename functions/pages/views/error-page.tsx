// A friendly page for every HTML error: what happened, where to go next, and the id to quote when reporting it.
import type { SiteSettings } from '../../../lib/settings/schema';
import { Layout } from './layout';

const headlines: Record<number, string> = {
  400: 'That request did not make sense to us',
  401: 'Please sign in first',
  403: 'You do not have access to this page',
  404: 'We could not find that page',
  429: 'Slow down a little',
  500: 'Something broke on our side',
  503: 'We are briefly unavailable',
};

export function ErrorPage({
  status,
  message,
  requestId,
  site,
}: {
  status: number;
  message: string;
  requestId?: string;
  site: SiteSettings;
}) {
  const headline = headlines[status] ?? (status >= 500 ? headlines[500] : headlines[400]);
  return (
    <Layout title={headline ?? 'Error'} site={site}>
      <section class="error-page">
        <p class="error-status">{status}</p>
        <h1>{headline}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to the latest posts</a>
        </p>
        {requestId ? <p class="muted">Request id: {requestId}</p> : null}
      </section>
    </Layout>
  );
}

// The slugs a page may not take: a page is served at `/{slug}`, so every first path segment the app or its static
// files answer is reserved. One list, in one place; test/node/reserved-slugs.test.ts reads every route and file of
// functions/ and public/ and fails when one is missing here, so a new route cannot be shadowed by an old page.
const ROUTES = [
  'admin',
  'api',
  'archive',
  'atom',
  'authors',
  'docs',
  'feed',
  'healthz',
  'login',
  'logout',
  'media',
  'openapi',
  'posts',
  'register',
  'robots',
  'search',
  'sitemap',
  'static',
  'tags',
];
// Addresses other work on the site is known to claim (setup, account recovery, settings, subscriptions), and
// names a reader would take for the site's own.
const CLAIMED = [
  'account',
  'confirm',
  'favicon',
  'forgot',
  'newsletter',
  'page',
  'pages',
  'reset',
  'settings',
  'setup',
  'subscribe',
  'unsubscribe',
  'verify',
  'webhooks',
];

export const RESERVED_SLUGS: ReadonlySet<string> = new Set([...ROUTES, ...CLAIMED]);

export function isReservedSlug(slug: string): boolean {
  return RESERVED_SLUGS.has(slug);
}

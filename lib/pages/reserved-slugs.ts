// The slugs a page may not take: a page is served at `/{slug}`, so every first path segment the app or its static
// files answer is reserved. One list, in one place: test/reserved-slugs.test.ts walks the app's routes and
// test/node/reserved-slugs.test.ts the files of public/, and each fails when a first segment is missing here.
const ROUTES = [
  'admin',
  'api',
  'archive',
  'atom',
  'authors',
  'confirm-email',
  'docs',
  'feed',
  'forgot',
  'healthz',
  'login',
  'logout',
  'media',
  'openapi',
  'posts',
  'register',
  'reset',
  'robots',
  'search',
  'sitemap',
  'static',
  'subscribe',
  'tags',
  'theme',
  'unsubscribe',
  'verify-email',
];
// Addresses other work on the site is known to claim (setup, account recovery, settings, subscriptions), and
// names a reader would take for the site's own.
const CLAIMED = [
  'account',
  'confirm',
  'favicon',
  'newsletter',
  'page',
  'pages',
  'settings',
  'setup',
  'verify',
  'webhooks',
];

export const RESERVED_SLUGS: ReadonlySet<string> = new Set([...ROUTES, ...CLAIMED]);

export function isReservedSlug(slug: string): boolean {
  return RESERVED_SLUGS.has(slug);
}

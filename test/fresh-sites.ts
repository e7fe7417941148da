// Sites with a database and a cache of their own (started by global-setup.ts), for tests that need a site with no
// admin yet or that change site-wide settings. One site per test file that uses it: files run in parallel, and each
// file's tests reset their site (resetSite) rather than share rows.
export const FRESH_SITES = ['firstRun', 'settings', 'adminSettings'] as const;
export type FreshSiteName = (typeof FRESH_SITES)[number];

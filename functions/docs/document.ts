// The OpenAPI document's own parts: what the API is, who answers for it, and the tags its operations are grouped by.
// The operations themselves come from each route's createRoute.

/** Every tag an operation may carry; Spectral's `operation-tag-defined` fails the lint for any other. */
export const API_TAGS = [
  { name: 'posts', description: 'Posts: the published list and search, reading one, and writing (authors and up).' },
  {
    name: 'pages',
    description: 'Static pages (About, Contact…) served at /{slug}, never in a list of posts; editors write them.',
  },
  {
    name: 'revisions',
    description: 'What each save of a post or page kept (autosaves coalesced), and restoring one.',
  },
  { name: 'tags', description: 'Tags with their post counts; editors curate them.' },
  { name: 'comments', description: 'Threaded comments on published posts by signed-in readers, and moderation.' },
  { name: 'reactions', description: 'One reaction of each kind per reader and post.' },
  { name: 'auth', description: 'Accounts: sign-up, sign-in, token refresh and sign-out.' },
  { name: 'users', description: 'Accounts and profiles: admins manage them, users edit themselves.' },
  { name: 'media', description: 'Image uploads for writers.' },
  { name: 'export', description: 'Every post and page as markdown, for backups and moving blogs.' },
  {
    name: 'webhooks',
    description: 'Endpoints told of published, changed and deleted posts and new comments (Standard Webhooks; admins).',
  },
  {
    name: 'Subscribers',
    description: 'Email subscriptions: a double opt-in sign-up (a mailed link confirms it) for new posts by email.',
  },
  {
    name: 'settings',
    description: 'The site settings: title, navigation, footer, comment and sign-up rules (admins change them).',
  },
];

export function documentInfo(origin: string) {
  return {
    title: 'lembas API',
    version: '1.0.0',
    description:
      'Posts, tags, comments, reactions and accounts of a lembas blog. Errors are RFC 9457 problem+json with a ' +
      'stable `code`. Rate-limited operations send `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers) ' +
      'and answer 429 with `Retry-After` once a limit is reached.',
    // Each deployment is its own blog: the blog itself is who answers for its API.
    contact: { name: 'The blog behind this API', url: `${origin}/` },
    license: { name: 'MIT', identifier: 'MIT' },
  };
}

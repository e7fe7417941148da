// Demo content for a fresh database: enough posts, tags and markdown features to show every part of a page.

export interface DemoPost {
  title: string;
  daysAgo: number;
  tags: string[];
  markdown: string;
}

export const demoPosts: DemoPost[] = [
  {
    title: 'Welcome to lembas',
    daysAgo: 0,
    tags: ['Meta', 'Edge'],
    markdown: `This blog runs as a Cloudflare Worker. Every page you read was assembled at the edge location nearest
to you, from a Postgres database reached over HTTP and a Redis cache in front of it.

## What happens when you open a post

1. The Worker asks the cache for the post. On a hit, that is the only network call.
2. On a miss it asks Neon for the row, answers you, and fills the cache *after* the response has gone.
3. The markdown was rendered to HTML when the post was saved, so reading costs almost no CPU.

## Writing

Posts are plain markdown. Headings become a table of contents, code gets highlighted classes, and the
HTML is sanitized when it is saved:

\`\`\`ts
const post = await readPublishedPost(deps, 'welcome-to-lembas');
\`\`\`

> A short, awaited chain of I/O per request, and nothing kept between requests.

Happy writing.`,
  },
  {
    title: 'Why the cache fills after the response',
    daysAgo: 2,
    tags: ['Edge', 'Caching'],
    markdown: `A read-through cache has one slow moment: the miss. The visitor who misses waits for the database; there is
no reason to also make them wait for the cache write.

## waitUntil

Workers give each request an \`ExecutionContext\`. Anything handed to \`ctx.waitUntil()\` keeps running after the
response is sent. We put the cache fill there.

## Stale while revalidate

Each entry records when it stops being fresh. A stale entry is still served, once, while a fresh copy is fetched
in the background. Readers almost never see a miss on a popular page.

| State | What the visitor gets | Round trips |
|-------|------------------------|-------------|
| Hit | the cached page | 1 |
| Stale | the cached page, refreshed behind it | 1 |
| Miss | the page from Postgres | 2 |`,
  },
  {
    title: 'Postgres over HTTP',
    daysAgo: 5,
    tags: ['Postgres', 'Edge'],
    markdown: `Serverless functions and connection pools do not mix well: every cold start would open a TCP connection and
a TLS session, then negotiate with Postgres. Neon's HTTP endpoint turns each query into one HTTPS request.

## One query, one round trip

\`\`\`ts
const rows = await sql\`SELECT slug, title FROM posts WHERE status = 'published' LIMIT 10\`;
\`\`\`

## Several queries, still one round trip

A transaction is sent as one batch, so dependent writes stay atomic without holding a connection open.

## Keyset pagination

We never use \`OFFSET\`. Each page remembers the \`(published_at, id)\` of its last row and the next page starts
below it, so page 500 costs the same as page 1.`,
  },
  {
    title: 'Markdown, safely',
    daysAgo: 9,
    tags: ['Security', 'Writing'],
    markdown: `Markdown allows raw HTML, and \`marked\` passes it through untouched. Left alone, a post could carry a script.

## An allowlist, not a blocklist

After rendering, the HTML goes through a sanitizer that keeps only the tags and attributes a blog post needs.
Everything else, such as \`<script>\`, event handlers or \`javascript:\` links, is removed.

## Proving it at start-up

Some sanitizers quietly do nothing outside a browser. Ours is checked the first time it runs: if an
\`onerror\` handler survives, rendering refuses to continue.

## Limits before parsing

Bodies are capped at 200 KB, and pathological nesting is refused with a clear error instead of a crashed isolate.`,
  },
  {
    title: 'Notes on passwords at the edge',
    daysAgo: 14,
    tags: ['Security'],
    markdown: `The Workers runtime offers PBKDF2 through WebCrypto, capped at 100,000 iterations in production.

## What we store

- a random salt per user
- the iteration count, so it can be raised later
- whether a server-side pepper was mixed in

When the parameters change, a user's hash is upgraded the next time they sign in.

## What it costs

Each verification takes tens of milliseconds of CPU. That is why login is rate limited per address and per
account: the limit protects the CPU budget as much as the accounts.`,
  },
  {
    title: 'A draft nobody should see yet',
    daysAgo: -1,
    tags: ['Meta'],
    markdown: 'This post is a draft. It must not appear on the home page, in the API, or in the feed.',
  },
];

// What the public list pages show, each read in one round trip (lib/db/batch.ts) together with the site settings
// the page is rendered with: a page miss costs one Neon request, settings included, and a hit costs none.
import { timed, type Deps } from './context';
import { readBatch } from './db/batch';
import { listPostRowsPart, postPageOf } from './db/posts';
import { listTagsPart, tagPart } from './db/tags';
import { publicAuthorPart } from './db/users';
import type { PostPage } from './schemas/post';
import type { Tag } from './schemas/tag';
import type { PublicProfile } from './schemas/user';
import { settingsPart } from './settings';
import { MAX_POSTS_PER_PAGE, type SiteSettings } from './settings/schema';
import { toProfile, toPublicProfile } from './users';

export interface ListQuery {
  /** Asked for in the address; the settings' posts per page otherwise. */
  limit?: number;
  cursor?: string;
}

/** The posts part: with no size asked for, the most a page can show, cut to the settings' size once both arrive. */
function postsPart(deps: Deps, query: ListQuery & { tag?: string; author?: string }) {
  const { limit, cursor, tag, author } = query;
  return listPostRowsPart(deps.sqlRead, {
    status: 'published',
    limit: limit ?? MAX_POSTS_PER_PAGE,
    cursor,
    tag,
    author,
  });
}

const pageSize = (query: ListQuery, settings: SiteSettings) => query.limit ?? settings.postsPerPage;

/** The home page (and the archive, which asks for its own size). */
export async function loadHomePage(deps: Deps, query: ListQuery): Promise<{ settings: SiteSettings; page: PostPage }> {
  const [settings, rows] = await timed(deps, 'db', () =>
    readBatch(deps.sqlRead, settingsPart(deps), postsPart(deps, query)),
  );
  return { settings, page: postPageOf(rows, pageSize(query, settings)) };
}

/** A tag's page; the tag is null when it is not public. */
export async function loadTagPage(
  deps: Deps,
  slug: string,
  query: ListQuery,
): Promise<{ settings: SiteSettings; tag: Tag | null; page: PostPage }> {
  const [settings, tag, rows] = await timed(deps, 'db', () =>
    readBatch(deps.sqlRead, settingsPart(deps), tagPart(deps.sqlRead, slug), postsPart(deps, { ...query, tag: slug })),
  );
  return { settings, tag, page: postPageOf(rows, pageSize(query, settings)) };
}

/** An author's page; the author is null when not public (unknown, disabled, or a reader with nothing published). */
export async function loadAuthorPage(
  deps: Deps,
  username: string,
  query: ListQuery,
): Promise<{ settings: SiteSettings; author: PublicProfile | null; posts: PostPage }> {
  const [settings, user, rows] = await timed(deps, 'db', () =>
    readBatch(
      deps.sqlRead,
      settingsPart(deps),
      publicAuthorPart(deps.sqlRead, username),
      postsPart(deps, { ...query, author: username }),
    ),
  );
  const author = user ? toPublicProfile(toProfile(user)) : null;
  return { settings, author, posts: postPageOf(rows, pageSize(query, settings)) };
}

/** Every public tag with its count. */
export async function loadTagIndex(deps: Deps): Promise<{ settings: SiteSettings; tags: Tag[] }> {
  const [settings, tags] = await timed(deps, 'db', () =>
    readBatch(deps.sqlRead, settingsPart(deps), listTagsPart(deps.sqlRead)),
  );
  return { settings, tags };
}

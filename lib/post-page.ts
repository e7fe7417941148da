// What a post page shows, read in one round trip (lib/db/batch.ts): the post, its related posts and neighbours, and
// the first page of its thread. From the primary, not a replica: comment writes drop the page, and a lagging replica
// could refill it with the thread from before the write.
import { threadPage } from './comments';
import { timed, type Deps } from './context';
import { readBatch } from './db/batch';
import { threadPart } from './db/comments';
import { postContextPart, postViewPart, type PostContext } from './db/posts';
import { RELATED_ON_PAGE } from './posts';
import type { CommentPage } from './schemas/comment';
import { DEFAULT_THREAD_PAGE } from './schemas/comment-limits';
import type { PostView } from './schemas/post';
import { settingsPart } from './settings';
import type { SiteSettings } from './settings/schema';

export interface PostPageData {
  post: PostView;
  context: PostContext;
  thread: CommentPage | null;
  settings: SiteSettings;
}

/** Null unless the post is published. */
export async function loadPostPage(deps: Deps, slug: string): Promise<PostPageData | null> {
  const { sql } = deps;
  const [settings, post, context, thread] = await timed(deps, 'db', () =>
    readBatch(
      sql,
      settingsPart(deps),
      postViewPart(sql, slug),
      postContextPart(sql, slug, RELATED_ON_PAGE),
      threadPart(sql, { slug }, { limit: DEFAULT_THREAD_PAGE }),
    ),
  );
  if (post?.status !== 'published') return null;
  return { post, context, thread: thread && threadPage(thread), settings };
}

// Reactions: signed-in readers toggle one of each kind per post. The counts live in the post's cache entry, so a
// toggle drops that entry (only it: lists do not show reactions).
import { invalidateQuietly } from './cache';
import { postEntries } from './cache-keys';
import { timed, type Deps } from './context';
import * as db from './db/reactions';
import { AppError } from './errors';
import type { PostRef } from './db/posts';
import { describePostRef, findPublishedPost } from './posts';
import type { ReactionKind, ReactionState } from './schemas/comment';
import type { AuthUser } from './schemas/user';

export async function setReaction(
  deps: Deps,
  user: AuthUser,
  ref: PostRef,
  kind: ReactionKind,
  on: boolean,
): Promise<ReactionState> {
  const post = await findPublishedPost(deps, ref);
  if (!post) throw new AppError('not_found', `No published post has ${describePostRef(ref)}.`);
  const counts = await timed(deps, 'db', () =>
    db.setReaction(deps.sql, { postId: post.id, userId: user.id, kind, on }),
  );
  await invalidateQuietly(deps.cache, postEntries(post.slug));
  return { kind, reacted: on, counts };
}

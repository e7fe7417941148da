// How a post's newsletter is going, for whoever may edit the post (the editor and the API).
import type { Deps } from '../context';
import { loadEditablePost } from '../posts';
import type { AuthUser } from '../schemas/user';
import { getSendProgress, type SendProgress } from './sends';

/** Null while the post has never been published (no send yet); not_found/forbidden as for editing the post. */
export async function readNewsletterProgress(
  deps: Deps,
  editor: AuthUser,
  postId: number,
): Promise<SendProgress | null> {
  await loadEditablePost(deps, editor, postId);
  return getSendProgress(deps.sql, postId);
}

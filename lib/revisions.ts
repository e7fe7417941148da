// Revisions of posts and pages: who may read them, and restoring one (itself a save, so it keeps a revision and
// passes the version check). The policy for what is kept is lib/revision-policy.ts; the SQL writes it with each save.
import { canEditPost, hasRole } from './auth/roles';
import { timed, type Deps } from './context';
import { getPostById } from './db/posts';
import * as db from './db/revisions';
import { AppError } from './errors';
import { updatePost } from './posts';
import type { Post } from './schemas/post';
import type { Revision, RevisionSummary } from './schemas/revision';
import type { AuthUser } from './schemas/user';

/** A post (its author, editors) or page (editors) whose revisions this writer may see; else not found. */
export async function loadRevisedPost(deps: Deps, user: AuthUser, postId: number): Promise<Post> {
  const post = await timed(deps, 'db', () => getPostById(deps.sql, postId));
  const allowed =
    post && (post.type === 'page' ? hasRole(user, 'editor') : canEditPost(user, { authorId: post.author.id }));
  if (!post || !allowed) throw new AppError('not_found', `There is no post with id ${postId}, or it is not yours.`);
  return post;
}

export async function listPostRevisions(deps: Deps, user: AuthUser, postId: number): Promise<RevisionSummary[]> {
  await loadRevisedPost(deps, user, postId);
  return timed(deps, 'db', () => db.listRevisions(deps.sql, postId));
}

export async function readPostRevision(
  deps: Deps,
  user: AuthUser,
  postId: number,
  revisionId: number,
): Promise<Revision> {
  await loadRevisedPost(deps, user, postId);
  return mustExist(await timed(deps, 'db', () => db.getRevision(deps.sql, postId, revisionId)), revisionId);
}

/**
 * Saves the revision's title, markdown and excerpt as the post's new text (status, slug and tags stay), guarded
 * by `version`: a restore from a stale view is refused with 409 like any save.
 */
export async function restorePostRevision(
  deps: Deps,
  user: AuthUser,
  postId: number,
  revisionId: number,
  version: number,
  now = Date.now(),
): Promise<Post> {
  const post = await loadRevisedPost(deps, user, postId);
  const revision = mustExist(await timed(deps, 'db', () => db.getRevision(deps.sql, postId, revisionId)), revisionId);
  return updatePost(
    deps,
    user,
    postId,
    { version, title: revision.title, markdown: revision.markdown, excerpt: revision.excerpt },
    now,
    { type: post.type, revision: 'restore' },
  );
}

function mustExist(revision: Revision | null, revisionId: number): Revision {
  if (!revision) throw new AppError('not_found', `This post has no revision ${revisionId}.`);
  return revision;
}

// What a post's revisions keep (the README's "Revisions" section says the same in words):
// - every manual save and every restore is kept;
// - an autosave replaces the same writer's previous autosave while that one's ten-minute window is open, so typing
//   for an hour keeps about six autosaves, one per ten minutes, each with the last text of its window;
// - at most 100 revisions per post: beyond that the oldest autosaves go first, then the oldest saves.
import type { RevisionStamp } from './db/posts';
import type { RevisionKind } from './schemas/revision';
import type { AuthUser } from './schemas/user';

export const REVISION_POLICY = { coalesceSeconds: 600, keep: 100 } as const;

/** The revision a save by `writer` at `now` (epoch ms) keeps. */
export function revisionStamp(writer: AuthUser, kind: RevisionKind, now: number): RevisionStamp {
  return { authorId: writer.id, kind, at: new Date(now).toISOString(), ...REVISION_POLICY };
}

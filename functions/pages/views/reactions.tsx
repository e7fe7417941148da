// Where the post page's reaction buttons go: a viewer slot carrying the (shared, cached) counts; the buttons, with
// the viewer's own state and CSRF token, are filled per request (viewer-parts.tsx).
import { raw } from 'hono/html';
import type { PostView } from '../../../lib/schemas/post';
import { encodeCounts, viewerSlot } from '../../../lib/viewer';

export function ReactionsSlot({ post }: { post: PostView }) {
  return raw(viewerSlot('reactions', encodeCounts(post.reactions)));
}

// Form posts from the post page (they work without JavaScript): comment, reply, react. Each needs a signed-in
// reader and the form's CSRF token (requireSignedIn), and answers with a redirect back to the post.
import { Hono } from 'hono';
import { createComment } from '../../lib/comments';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { setReaction } from '../../lib/reactions';
import { CreateCommentBody, ReactionParams } from '../../lib/schemas/comment';
import { SlugParams } from '../../lib/schemas/common';
import { clientInfo } from '../auth/client';
import { requireSignedIn, signedInSession } from '../auth/session';
import { parseFormBody } from '../form';

export const postActions = new Hono<AppEnv>()
  .post('/posts/:slug/comments', requireSignedIn('reader'), async (c) => {
    const params = SlugParams.safeParse(c.req.param());
    if (!params.success) throw new AppError('not_found', 'There is no post at this address.');
    const form = await parseFormBody(c);
    const parsed = CreateCommentBody.safeParse({
      body: form.body,
      parentId: typeof form.parentId === 'string' && form.parentId !== '' ? form.parentId : undefined,
    });
    if (!parsed.success) {
      throw new AppError('validation_failed', parsed.error.issues.map((issue) => issue.message).join(' '));
    }
    const { user } = await signedInSession(c);
    const comment = await createComment(c.get('deps'), user, { slug: params.data.slug }, parsed.data, clientInfo(c).ip);
    return c.redirect(`/posts/${params.data.slug}#comment-${comment.id}`, 303);
  })
  .post('/posts/:slug/reactions/:kind', requireSignedIn('reader'), async (c) => {
    const params = ReactionParams.safeParse(c.req.param());
    if (!params.success) throw new AppError('not_found', 'There is no such reaction here.');
    const form = await parseFormBody(c);
    const { user } = await signedInSession(c);
    await setReaction(c.get('deps'), user, { slug: params.data.slug }, params.data.kind, form.on !== 'false');
    return c.redirect(`/posts/${params.data.slug}#reactions`, 303);
  });

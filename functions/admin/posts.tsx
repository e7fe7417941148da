// /admin and /admin/posts: the dashboard and the editor. Saves go through lib/posts (the API's rules); a stale
// save answers with a page showing both versions; deleting asks first.
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import { z } from 'zod';
import { readDashboard } from '../../lib/admin';
import { canEditPost } from '../../lib/auth/roles';
import { getPostById } from '../../lib/db/posts';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import { MarkdownError, renderMarkdown } from '../../lib/markdown';
import { uploadImage } from '../../lib/media';
import { createPost, deletePost, updatePost } from '../../lib/posts';
import { CreatePostBody, MAX_MARKDOWN_BYTES, PostStatus, UpdatePostBody, type Post } from '../../lib/schemas/post';
import { Slug } from '../../lib/schemas/common';
import type { AuthUser } from '../../lib/schemas/user';
import { isTimeZone, utcToZoned, zonedToUtc } from '../../lib/zoned-time';
import { requireSignedIn, signedInSession } from '../auth/session';
import { fieldMessages, readForm, splitTags, type Form } from './form';
import { Dashboard } from './views/dashboard';
import { ConflictPage, DeleteConfirm, Editor, type EditorValues } from './views/editor';

const TZ_COOKIE = 'lembas_tz';

/** The writer's chosen time zone (a cookie the editor sets), else UTC. */
export function timeZoneOf(c: Context<AppEnv>): string {
  const zone = getCookie(c, TZ_COOKIE);
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

const DashboardQuery = z.object({
  status: PostStatus.optional().catch(undefined),
  author: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{3,32}$/)
    .optional()
    .catch(undefined),
  tag: Slug.optional().catch(undefined),
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
});

const savedMessages: Record<string, string> = {
  draft: 'Draft saved.',
  publish: 'Published.',
  schedule: 'Scheduled.',
  unpublish: 'Unpublished: it is a draft again.',
  deleted: 'Post deleted.',
};

/** A post this writer may edit, or a 404 (someone else's draft does not reveal that it exists). */
async function editablePost(c: Context<AppEnv>, user: AuthUser): Promise<Post> {
  const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(c.req.param('id'));
  const post = id.success ? await getPostById(c.var.deps.sql, id.data) : null;
  if (!post || !canEditPost(user, { authorId: post.author.id })) {
    throw new AppError('not_found', 'There is no such post, or it is not yours to edit.');
  }
  return post;
}

function valuesOfPost(post: Post, timeZone: string): EditorValues {
  return {
    title: post.title,
    slug: post.slug,
    tags: post.tags.map((tag) => tag.name).join(', '),
    excerpt: post.excerptCustom ? post.excerpt : '',
    markdown: post.markdown,
    publishAt: post.status === 'scheduled' && post.publishedAt ? utcToZoned(post.publishedAt, timeZone) : '',
    timeZone,
  };
}

function valuesOfForm(form: Form, fallbackZone: string): EditorValues {
  const zone = form.text('timeZone');
  return {
    title: form.text('title'),
    slug: form.text('slug').trim(),
    tags: form.text('tags'),
    excerpt: form.text('excerpt'),
    markdown: form.text('markdown'),
    publishAt: form.text('publishAt'),
    timeZone: isTimeZone(zone) ? zone : fallbackZone,
  };
}

/** Status and time for the button pressed; schedule needs a time, read in the writer's zone. */
function publicationFor(intent: string, values: EditorValues) {
  if (intent === 'publish') return { status: 'published' as const, publishedAt: undefined };
  if (intent === 'schedule') {
    return { status: 'scheduled' as const, publishedAt: zonedToUtc(values.publishAt, values.timeZone) ?? undefined };
  }
  return { status: 'draft' as const, publishedAt: null };
}

function isExpected(error: unknown): AppError | null {
  if (error instanceof MarkdownError) return new AppError('bad_request', error.message);
  const appError = error instanceof AppError ? error : fromDatabaseError(error);
  return appError && appError.status < 500 ? appError : null;
}

/** Preview, upload, or save (new post or edit): one form, the pressed button decides. */
async function submitEditor(c: Context<AppEnv>, post?: Post): Promise<Response> {
  const { user, csrfToken } = await signedInSession(c);
  const form = await readForm(c);
  const values = valuesOfForm(form, timeZoneOf(c));
  setCookie(c, TZ_COOKIE, values.timeZone, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.config.SECURE_COOKIES !== 'false',
  });
  const intent = form.text('intent') || 'draft';
  const editor = (extra: Partial<Parameters<typeof Editor>[0]>, status = 200) =>
    c.html(<Editor user={user} csrfToken={csrfToken} post={post} values={values} {...extra} />, status as 200);

  if (intent === 'preview') {
    try {
      return editor({ preview: (await renderMarkdown(values.markdown)).html });
    } catch (error) {
      if (error instanceof MarkdownError) return editor({ error: error.message }, 400);
      throw error;
    }
  }
  if (intent === 'upload') {
    const file = form.file('file');
    if (!file) return editor({ error: 'Choose an image to upload first.' }, 422);
    try {
      const { media } = await uploadImage(c.var.deps, user, {
        bytes: new Uint8Array(await file.arrayBuffer()),
        name: file.name,
      });
      values.markdown = `${values.markdown.replace(/\s*$/, '')}\n\n${media.markdown}\n`;
      return editor({ message: 'Image uploaded and inserted at the end of the body. Save to keep it.' });
    } catch (error) {
      const refusal = isExpected(error);
      if (!refusal) throw error;
      return editor({ error: refusal.message }, refusal.status);
    }
  }

  const publication = publicationFor(intent, values);
  if (intent === 'schedule' && !publication.publishedAt) {
    return editor({ fieldErrors: { publishedAt: 'Pick a date and time to publish at.' } }, 422);
  }
  const fields = {
    title: values.title,
    slug: values.slug || undefined,
    markdown: values.markdown,
    tags: splitTags(values.tags),
    // Empty: the excerpt follows the body (for an edit too, where the API would read a missing one as "unchanged").
    excerpt: values.excerpt,
    ...publication,
  };
  const parsed = post
    ? UpdatePostBody.safeParse({ ...fields, version: Number(form.text('version')) })
    : CreatePostBody.safeParse(fields);
  if (!parsed.success) return editor({ fieldErrors: fieldMessages(parsed.error.issues) }, 422);
  try {
    const saved = post
      ? await updatePost(c.var.deps, user, post.id, parsed.data as UpdatePostBody)
      : await createPost(c.var.deps, user, parsed.data as CreatePostBody);
    return c.redirect(`/admin/posts/${saved.id}/edit?saved=${intent}`, 303);
  } catch (error) {
    const refusal = isExpected(error);
    if (!refusal) throw error;
    if (refusal.code === 'version_conflict' && post) {
      const current = await getPostById(c.var.deps.sql, post.id);
      if (current) {
        return c.html(
          <ConflictPage user={user} csrfToken={csrfToken} current={current} mine={{ ...values, intent }} />,
          409,
        );
      }
    }
    const fieldErrors = refusal.extra.errors
      ? Object.fromEntries(refusal.extra.errors.map((e) => [e.path.replace(/^body\./, ''), e.message]))
      : undefined;
    return editor({ error: refusal.message, fieldErrors }, refusal.status);
  }
}

export const adminPosts = new Hono<AppEnv>()
  .get('/admin', requireSignedIn('author'), async (c) => {
    const { user } = await signedInSession(c);
    const filter = DashboardQuery.parse(c.req.query());
    const data = await readDashboard(c.var.deps, user, filter);
    const message = savedMessages[c.req.query('done') ?? ''];
    return c.html(<Dashboard user={user} filter={filter} timeZone={timeZoneOf(c)} message={message} {...data} />);
  })
  .get('/admin/posts/new', requireSignedIn('author'), async (c) => {
    const { user, csrfToken } = await signedInSession(c);
    const values = { title: '', slug: '', tags: '', excerpt: '', markdown: '', publishAt: '', timeZone: timeZoneOf(c) };
    return c.html(<Editor user={user} csrfToken={csrfToken} values={values} />);
  })
  .post('/admin/posts', requireSignedIn('author'), (c) => submitEditor(c))
  // The live preview (admin.js): a fragment of sanitized HTML, rendered exactly as a save would.
  .post('/admin/preview', requireSignedIn('author'), async (c) => {
    const markdown = (await readForm(c)).text('markdown');
    if (new TextEncoder().encode(markdown).length > MAX_MARKDOWN_BYTES) {
      throw new AppError('payload_too_large', 'Posts are limited to 200 KB of markdown.');
    }
    const { html } = await renderMarkdown(markdown);
    return c.html(
      <>
        <h2>Preview</h2>
        <article class="post-body">{raw(html)}</article>
      </>,
    );
  })
  .get('/admin/posts/:id/edit', requireSignedIn('author'), async (c) => {
    const { user, csrfToken } = await signedInSession(c);
    const post = await editablePost(c, user);
    const message = savedMessages[c.req.query('saved') ?? ''];
    return c.html(
      <Editor
        user={user}
        csrfToken={csrfToken}
        post={post}
        values={valuesOfPost(post, timeZoneOf(c))}
        message={message}
      />,
    );
  })
  .post('/admin/posts/:id', requireSignedIn('author'), async (c) => {
    const { user } = await signedInSession(c);
    return submitEditor(c, await editablePost(c, user));
  })
  .post('/admin/posts/:id/unpublish', requireSignedIn('author'), async (c) => {
    const { user, csrfToken } = await signedInSession(c);
    const post = await editablePost(c, user);
    const form = await readForm(c);
    try {
      await updatePost(c.var.deps, user, post.id, { version: Number(form.text('version')), status: 'draft' });
    } catch (error) {
      const refusal = isExpected(error);
      if (!refusal) throw error;
      const fresh = (await getPostById(c.var.deps.sql, post.id)) ?? post;
      return c.html(
        <Editor
          user={user}
          csrfToken={csrfToken}
          post={fresh}
          values={valuesOfPost(fresh, timeZoneOf(c))}
          error={
            refusal.code === 'version_conflict'
              ? 'Someone saved this post meanwhile; here is their version.'
              : refusal.message
          }
        />,
        refusal.status as 409,
      );
    }
    return c.redirect(`/admin/posts/${post.id}/edit?saved=unpublish`, 303);
  })
  .get('/admin/posts/:id/delete', requireSignedIn('author'), async (c) => {
    const { user, csrfToken } = await signedInSession(c);
    return c.html(<DeleteConfirm user={user} csrfToken={csrfToken} post={await editablePost(c, user)} />);
  })
  .post('/admin/posts/:id/delete', requireSignedIn('author'), async (c) => {
    const { user } = await signedInSession(c);
    const post = await editablePost(c, user);
    await deletePost(c.var.deps, user, post.id);
    return c.redirect('/admin?done=deleted', 303);
  });

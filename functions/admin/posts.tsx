// /admin and /admin/posts: the dashboard and the editor, which pages (/admin/pages) share. Saves go through
// lib/posts and lib/pages (the API's rules); a stale save answers with a page showing both versions; deleting asks
// first. The editor's script autosaves drafts through `…/autosave`, which answers JSON.
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
import { getSendProgress, type SendProgress } from '../../lib/newsletter/sends';
import { createPage, deletePage, updatePage } from '../../lib/pages/pages';
import { createPost, deletePost, updatePost } from '../../lib/posts';
import { listPostRevisions, readPostRevision, restorePostRevision } from '../../lib/revisions';
import { diffText } from '../../lib/revision-diff';
import {
  CreatePostBody,
  MAX_MARKDOWN_BYTES,
  PostStatus,
  UpdatePostBody,
  type Post,
  type PostType,
} from '../../lib/schemas/post';
import type { Role } from '../../lib/schemas/user';
import { Slug } from '../../lib/schemas/common';
import type { AuthUser } from '../../lib/schemas/user';
import { isTimeZone, utcToZoned, zonedToUtc } from '../../lib/zoned-time';
import { requireSignedIn, signedInSession } from '../auth/session';
import { fieldMessages, readForm, splitTags, type Form } from './form';
import { Dashboard } from './views/dashboard';
import { ConflictPage, DeleteConfirm, Editor, isRunning, newsletterLine, type EditorValues } from './views/editor';
import { RevisionsPage } from './views/revisions';

/** Posts and pages share the editor; this says which one a route writes, where it lives and who may write it. */
export interface WritingKind {
  type: PostType;
  /** `/admin/posts` or `/admin/pages`. */
  base: string;
  role: Role;
}
export const POSTS: WritingKind = { type: 'post', base: '/admin/posts', role: 'author' };
export const PAGES: WritingKind = { type: 'page', base: '/admin/pages', role: 'editor' };

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
  restored: 'Revision restored: it is the current text now, and a revision of its own.',
};

const IdParam = z.coerce.number().int().positive().max(2_147_483_647);

/** A post (or page) this writer may edit, or a 404 (someone else's draft does not reveal that it exists). */
async function editablePost(c: Context<AppEnv>, user: AuthUser, kind: WritingKind = POSTS): Promise<Post> {
  const id = IdParam.safeParse(c.req.param('id'));
  const post = id.success ? await getPostById(c.var.deps.sql, id.data) : null;
  if (!post || post.type !== kind.type || !canEditPost(user, { authorId: post.author.id })) {
    throw new AppError('not_found', `There is no such ${kind.type}, or it is not yours to edit.`);
  }
  return post;
}

/** The post's newsletter send, for the editor's status line; pages are never mailed. */
function newsletterOf(c: Context<AppEnv>, kind: WritingKind, post: Post): Promise<SendProgress | null> {
  return kind.type === 'post' ? getSendProgress(c.var.deps.sql, post.id) : Promise.resolve(null);
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
    emailSubscribers: post.emailSubscribers,
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
    emailSubscribers: form.text('emailSubscribers') === 'on',
    emailSubscribersShown: form.text('emailSubscribersShown') === '1',
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
async function submitEditor(c: Context<AppEnv>, kind: WritingKind, post?: Post): Promise<Response> {
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
  const editor = async (extra: Partial<Parameters<typeof Editor>[0]>, status = 200) => {
    const newsletter = post ? await newsletterOf(c, kind, post) : null;
    return c.html(
      <Editor
        user={user}
        csrfToken={csrfToken}
        kind={kind}
        post={post}
        values={values}
        newsletter={newsletter}
        {...extra}
      />,
      status as 200,
    );
  };

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
  const parsed = parseEditorFields(kind, values, publication, post && Number(form.text('version')));
  if (!parsed.success) return editor({ fieldErrors: fieldMessages(parsed.error.issues) }, 422);
  try {
    const saved = await saveWriting(c, user, kind, post, parsed.data);
    return c.redirect(`${kind.base}/${saved.id}/edit?saved=${intent}`, 303);
  } catch (error) {
    const refusal = isExpected(error);
    if (!refusal) throw error;
    if (refusal.code === 'version_conflict' && post) {
      const current = await getPostById(c.var.deps.sql, post.id);
      if (current) {
        return c.html(
          <ConflictPage user={user} csrfToken={csrfToken} kind={kind} current={current} mine={{ ...values, intent }} />,
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

/** The form's fields as the API's body: a create, or an update of `version` (autosaves leave the status be). */
function parseEditorFields(
  kind: WritingKind,
  values: EditorValues,
  publication: { status?: PostStatus; publishedAt?: string | null } | null,
  version?: number,
) {
  const fields = {
    title: values.title,
    slug: values.slug || undefined,
    markdown: values.markdown,
    // Pages carry no tags.
    tags: kind.type === 'page' ? [] : splitTags(values.tags),
    // Empty: the excerpt follows the body (for an edit too, where the API would read a missing one as "unchanged").
    excerpt: values.excerpt,
    // Only when the form offered the choice (until the first publish); else the post's stays as it is.
    emailSubscribers: kind.type === 'post' && values.emailSubscribersShown ? values.emailSubscribers : undefined,
    ...publication,
  };
  return version === undefined
    ? CreatePostBody.safeParse(fields)
    : UpdatePostBody.safeParse({ ...fields, version, autosave: publication === null ? true : undefined });
}

/** A save through the kind's own rules: pages are for editors, and may not take a slug the site's routes use. */
async function saveWriting(
  c: Context<AppEnv>,
  user: AuthUser,
  kind: WritingKind,
  post: Post | undefined,
  body: CreatePostBody | UpdatePostBody,
): Promise<{ id: number; version: number; slug: string }> {
  const { deps } = c.var;
  if (kind.type === 'page') {
    const { tags: _none, ...page } = body;
    return post
      ? updatePage(deps, user, post.id, page as UpdatePostBody)
      : createPage(deps, user, page as CreatePostBody);
  }
  return post
    ? updatePost(deps, user, post.id, body as UpdatePostBody)
    : createPost(deps, user, body as CreatePostBody);
}

/**
 * The editor script's autosave of a draft: the form as it stands, saved without changing status, answered in JSON
 * for the script (the saved version; on a stale version, 409 with the text saved meanwhile, for the writer to
 * compare). Its revision coalesces with the writer's other autosaves (lib/revision-policy.ts).
 */
async function autosave(c: Context<AppEnv>, kind: WritingKind, post?: Post): Promise<Response> {
  const { user } = await signedInSession(c);
  const form = await readForm(c);
  const values = valuesOfForm(form, timeZoneOf(c));
  // Readers see a published post's text: it changes when the writer presses a button, never while they type.
  if (post && post.status !== 'draft') {
    return c.json({ error: `Only drafts are autosaved: save this ${kind.type} to keep your changes.` }, 422);
  }
  const parsed = post
    ? parseEditorFields(kind, values, null, Number(form.text('version')))
    : parseEditorFields(kind, values, { status: 'draft', publishedAt: null });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return c.json({ error: `${String(first?.path[0] ?? 'form')}: ${first?.message ?? 'invalid'}` }, 422);
  }
  try {
    const saved = await saveWriting(c, user, kind, post, parsed.data);
    return c.json({
      id: saved.id,
      version: saved.version,
      action: `${kind.base}/${saved.id}`,
      edit: `${kind.base}/${saved.id}/edit`,
      autosave: `${kind.base}/${saved.id}/autosave`,
    });
  } catch (error) {
    const refusal = isExpected(error);
    if (!refusal) throw error;
    if (refusal.code === 'version_conflict') {
      return c.json({ error: refusal.message, conflict: true, currentVersion: refusal.extra.currentVersion }, 409);
    }
    return c.json({ error: refusal.message }, refusal.status as 422);
  }
}

/** The routes of one kind of writing: new, edit, save, autosave, unpublish, delete, revisions. */
export function writingRoutes(kind: WritingKind) {
  const { base, role } = kind;
  const noun = kind.type;
  return (
    new Hono<AppEnv>()
      .get(`${base}/new`, requireSignedIn(role), async (c) => {
        const { user, csrfToken } = await signedInSession(c);
        const values = {
          title: '',
          slug: '',
          tags: '',
          excerpt: '',
          markdown: '',
          publishAt: '',
          timeZone: timeZoneOf(c),
          emailSubscribers: true,
        };
        return c.html(<Editor user={user} csrfToken={csrfToken} kind={kind} values={values} />);
      })
      .post(base, requireSignedIn(role), (c) => submitEditor(c, kind))
      .post(`${base}/autosave`, requireSignedIn(role), (c) => autosave(c, kind))
      .get(`${base}/:id/edit`, requireSignedIn(role), async (c) => {
        const { user, csrfToken } = await signedInSession(c);
        const post = await editablePost(c, user, kind);
        const message = savedMessages[c.req.query('saved') ?? ''];
        const newsletter = await newsletterOf(c, kind, post);
        return c.html(
          <Editor
            user={user}
            csrfToken={csrfToken}
            kind={kind}
            post={post}
            values={valuesOfPost(post, timeZoneOf(c))}
            newsletter={newsletter}
            message={message}
          />,
        );
      })
      // The editor's newsletter line, read again every few seconds by admin.js while the send runs.
      .get(`${base}/:id/newsletter`, requireSignedIn(role), async (c) => {
        const { user } = await signedInSession(c);
        const post = await editablePost(c, user, kind);
        const send = await newsletterOf(c, kind, post);
        if (!send) return c.json({ state: null, running: false }, 200);
        return c.json({ state: newsletterLine(send), running: isRunning(send) }, 200);
      })
      .post(`${base}/:id`, requireSignedIn(role), async (c) => {
        const { user } = await signedInSession(c);
        return submitEditor(c, kind, await editablePost(c, user, kind));
      })
      .post(`${base}/:id/autosave`, requireSignedIn(role), async (c) => {
        const { user } = await signedInSession(c);
        return autosave(c, kind, await editablePost(c, user, kind));
      })
      .post(`${base}/:id/unpublish`, requireSignedIn(role), async (c) => {
        const { user, csrfToken } = await signedInSession(c);
        const post = await editablePost(c, user, kind);
        const form = await readForm(c);
        try {
          await updatePost(
            c.var.deps,
            user,
            post.id,
            { version: Number(form.text('version')), status: 'draft' },
            Date.now(),
            { type: kind.type },
          );
        } catch (error) {
          const refusal = isExpected(error);
          if (!refusal) throw error;
          const fresh = (await getPostById(c.var.deps.sql, post.id)) ?? post;
          return c.html(
            <Editor
              user={user}
              csrfToken={csrfToken}
              kind={kind}
              post={fresh}
              values={valuesOfPost(fresh, timeZoneOf(c))}
              error={
                refusal.code === 'version_conflict'
                  ? `Someone saved this ${noun} meanwhile; here is their version.`
                  : refusal.message
              }
            />,
            refusal.status as 409,
          );
        }
        return c.redirect(`${base}/${post.id}/edit?saved=unpublish`, 303);
      })
      .get(`${base}/:id/delete`, requireSignedIn(role), async (c) => {
        const { user, csrfToken } = await signedInSession(c);
        return c.html(
          <DeleteConfirm user={user} csrfToken={csrfToken} kind={kind} post={await editablePost(c, user, kind)} />,
        );
      })
      .post(`${base}/:id/delete`, requireSignedIn(role), async (c) => {
        const { user } = await signedInSession(c);
        const post = await editablePost(c, user, kind);
        if (kind.type === 'page') await deletePage(c.var.deps, user, post.id);
        else await deletePost(c.var.deps, user, post.id);
        return c.redirect(kind.type === 'page' ? '/admin/pages?done=deleted' : '/admin?done=deleted', 303);
      })
      .get(`${base}/:id/revisions`, requireSignedIn(role), async (c) => {
        const { user, csrfToken } = await signedInSession(c);
        const post = await editablePost(c, user, kind);
        return c.html(await revisionsPage(c, { user, csrfToken, kind, post }));
      })
      .post(`${base}/:id/revisions/:revisionId/restore`, requireSignedIn(role), async (c) => {
        const { user, csrfToken } = await signedInSession(c);
        const post = await editablePost(c, user, kind);
        const revisionId = IdParam.safeParse(c.req.param('revisionId'));
        if (!revisionId.success) throw new AppError('not_found', 'There is no such revision.');
        const version = Number((await readForm(c)).text('version'));
        try {
          await restorePostRevision(c.var.deps, user, post.id, revisionId.data, version);
        } catch (error) {
          const refusal = isExpected(error);
          if (!refusal || refusal.code !== 'version_conflict') throw error;
          const fresh = (await getPostById(c.var.deps.sql, post.id)) ?? post;
          const page = await revisionsPage(c, {
            user,
            csrfToken,
            kind,
            post: fresh,
            selected: revisionId.data,
            error: `This ${noun} was saved again meanwhile (now version ${fresh.version}); compare again, then restore.`,
          });
          return c.html(page, 409);
        }
        return c.redirect(`${base}/${post.id}/edit?saved=restored`, 303);
      })
  );
}

/** The revisions view: the list, and the chosen revision (by default the newest older than the current text). */
async function revisionsPage(
  c: Context<AppEnv>,
  props: { user: AuthUser; csrfToken: string; kind: WritingKind; post: Post; selected?: number; error?: string },
) {
  const { deps } = c.var;
  const { user, post } = props;
  const revisions = await listPostRevisions(deps, user, post.id);
  const asked = IdParam.safeParse(c.req.query('revision'));
  const selectedId =
    props.selected ??
    (asked.success ? asked.data : (revisions.find((r) => r.version < post.version) ?? revisions[0])?.id);
  const selected = selectedId ? await readPostRevision(deps, user, post.id, selectedId).catch(() => null) : null;
  const diff = selected ? await diffText(selected.markdown, post.markdown) : [];
  return <RevisionsPage {...props} revisions={revisions} selected={selected} diff={diff} />;
}

export const adminPosts = new Hono<AppEnv>()
  .get('/admin', requireSignedIn('author'), async (c) => {
    const { user } = await signedInSession(c);
    const filter = DashboardQuery.parse(c.req.query());
    const data = await readDashboard(c.var.deps, user, filter);
    const message = savedMessages[c.req.query('done') ?? ''];
    return c.html(<Dashboard user={user} filter={filter} timeZone={timeZoneOf(c)} message={message} {...data} />);
  })
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
  .route('/', writingRoutes(POSTS));

// The post and page editor: one multipart form that works without JavaScript. Its buttons preview, upload an image
// into the body, save a draft, publish or schedule; the schedule field is in the writer's time zone. On drafts the
// script (public/static/admin.js) also autosaves, and says how that goes in the status line (an aria-live region).
import { raw } from 'hono/html';
import type { SendProgress } from '../../../lib/newsletter/sends';
import { MAX_EXCERPT_LENGTH, type Post, type PostStatus } from '../../../lib/schemas/post';
import type { AuthUser } from '../../../lib/schemas/user';
import { timeZones } from '../../../lib/zoned-time';
import { CsrfField } from '../../pages/views/viewer-parts';
import type { WritingKind } from '../posts';
import { AdminLayout, FieldError, Notice } from './layout';

/** What the form holds: a saved post's fields, or what the writer just sent. */
export interface EditorValues {
  title: string;
  slug: string;
  tags: string;
  /** The writer's own excerpt; empty when it follows the body. */
  excerpt: string;
  markdown: string;
  publishAt: string;
  timeZone: string;
  /** Mail it to subscribers at its first publish (posts only). */
  emailSubscribers: boolean;
  /** The form carried the choice (an unticked box sends nothing, so without this "unticked" and "absent" look alike). */
  emailSubscribersShown?: boolean;
}

export interface EditorProps {
  user: AuthUser;
  csrfToken: string;
  /** A post or a page: where the form posts, and whether it has tags. */
  kind: WritingKind;
  /** The saved post being edited; absent for a new one. */
  post?: Pick<Post, 'id' | 'version' | 'status' | 'slug' | 'publishedAt' | 'excerpt' | 'excerptCustom'>;
  values: EditorValues;
  /** The post's newsletter send, once it has been published; until then the writer may choose not to email it. */
  newsletter?: SendProgress | null;
  /** Sanitized HTML of the preview, exactly as a save would render it. */
  preview?: string;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
}

const statusNames: Record<PostStatus, string> = { draft: 'Draft', scheduled: 'Scheduled', published: 'Published' };

/** The editor's status line for a send: "Newsletter: sending: 120 of 400 sent, 2 failed" and the like. */
export function newsletterLine(send: SendProgress): string {
  return `Newsletter: ${newsletterState(send)}`;
}

/** "sending: 120 of 400 sent, 2 failed" and the like. */
function newsletterState(send: SendProgress): string {
  const failed = send.failed > 0 ? `, ${send.failed} failed` : '';
  switch (send.status) {
    case 'queued':
      return 'queued';
    case 'sending':
      return `sending: ${send.sent} of ${send.recipients} sent${failed}`;
    case 'sent':
      return `sent to ${send.sent} of ${send.recipients} subscribers${failed}`;
    case 'skipped':
      return 'not emailed';
  }
}

/** A send still going out: its line in the editor is worth reading again. */
export function isRunning(send: SendProgress): boolean {
  return send.status === 'queued' || send.status === 'sending';
}

export function Editor({
  user,
  csrfToken,
  kind,
  post,
  values,
  newsletter,
  preview,
  message,
  error,
  fieldErrors,
}: EditorProps) {
  const { base, type: noun } = kind;
  const action = post ? `${base}/${post.id}` : base;
  // Drafts only: a published post's text changes when its writer presses a button, never while they type.
  const autosave = !post ? `${base}/autosave` : post.status === 'draft' ? `${base}/${post.id}/autosave` : undefined;
  return (
    <AdminLayout title={post ? `Edit: ${values.title}` : `New ${noun}`} user={user}>
      <h1>{post ? `Edit ${noun}` : `New ${noun}`}</h1>
      {post ? (
        <p class="post-state">
          {statusNames[post.status]} · version <span data-version-label>{post.version}</span>
          {post.status === 'published' ? (
            <>
              {' · '}
              <a href={noun === 'page' ? `/${post.slug}` : `/posts/${post.slug}`}>view</a>
            </>
          ) : null}
          {' · '}
          <a href={`${base}/${post.id}/revisions`}>revisions</a>
          {newsletter ? (
            <>
              {' · '}
              <span
                data-newsletter-state
                data-newsletter-poll={isRunning(newsletter) ? `${base}/${post.id}/newsletter` : undefined}
                aria-live="polite"
              >
                {newsletterLine(newsletter)}
              </span>
              {isRunning(newsletter) ? (
                <>
                  {' '}
                  <a href={`${base}/${post.id}/edit`} data-newsletter-refresh>
                    refresh
                  </a>
                </>
              ) : null}
            </>
          ) : null}
        </p>
      ) : null}
      <Notice message={message} error={error} />
      <p class="autosave-status" role="status" aria-live="polite" data-autosave-status></p>
      <form
        class="editor"
        method="post"
        action={action}
        enctype="multipart/form-data"
        data-unsaved-warning
        data-autosave={autosave}
      >
        <CsrfField token={csrfToken} />
        {post ? <input type="hidden" name="version" value={String(post.version)} /> : null}
        <label>
          Title
          <input name="title" value={values.title} required maxlength={200} />
          <FieldError errors={fieldErrors} name="title" />
        </label>
        <label>
          Slug <small>(from the title when empty)</small>
          <input name="slug" value={values.slug} maxlength={120} pattern="[a-z0-9]+(-[a-z0-9]+)*" />
          <FieldError errors={fieldErrors} name="slug" />
        </label>
        {noun === 'post' ? (
          <label>
            Tags <small>(comma-separated; new ones are created)</small>
            <input name="tags" value={values.tags} />
            <FieldError errors={fieldErrors} name="tags" />
          </label>
        ) : null}
        <label>
          Excerpt <small>(optional plain text for lists, feeds and link previews; empty: the start of the body)</small>
          <textarea
            name="excerpt"
            rows={2}
            maxlength={MAX_EXCERPT_LENGTH}
            placeholder={post && !post.excerptCustom ? post.excerpt : ''}
          >
            {values.excerpt}
          </textarea>
          <FieldError errors={fieldErrors} name="excerpt" />
        </label>
        <label>
          Markdown
          <textarea name="markdown" rows={24} data-preview-source>
            {values.markdown}
          </textarea>
          <FieldError errors={fieldErrors} name="markdown" />
        </label>
        <fieldset class="upload">
          <legend>Image</legend>
          <input
            type="file"
            name="file"
            accept="image/jpeg,image/png,image/webp,image/gif"
            aria-label="Image to upload"
          />
          <button type="submit" name="intent" value="upload">
            Upload and insert
          </button>
        </fieldset>
        {noun === 'post' && !newsletter ? (
          <>
            {/* An unticked box sends nothing: this says the form had it, so unticked means "do not email". */}
            <input type="hidden" name="emailSubscribersShown" value="1" />
            <label class="checkbox">
              <input type="checkbox" name="emailSubscribers" value="on" checked={values.emailSubscribers} /> Email this
              post to subscribers when it is published
            </label>
          </>
        ) : null}
        <fieldset class="schedule">
          <legend>Schedule</legend>
          <input type="datetime-local" name="publishAt" value={values.publishAt} aria-label="Publish at" />
          <select name="timeZone" aria-label="Time zone" data-local-zone>
            {timeZones().map((zone) => (
              <option value={zone} selected={zone === values.timeZone}>
                {zone}
              </option>
            ))}
          </select>
          <FieldError errors={fieldErrors} name="publishedAt" />
        </fieldset>
        <div class="actions">
          <button type="submit" name="intent" value="preview">
            Preview
          </button>
          <button type="submit" name="intent" value="draft">
            Save draft
          </button>
          <button type="submit" name="intent" value="schedule">
            Schedule
          </button>
          <button type="submit" name="intent" value="publish">
            Publish now
          </button>
        </div>
      </form>
      {post && post.status !== 'draft' ? (
        <form method="post" action={`${base}/${post.id}/unpublish`} class="inline">
          <CsrfField token={csrfToken} />
          <input type="hidden" name="version" value={String(post.version)} />
          <button type="submit">Unpublish (back to draft)</button>
        </form>
      ) : null}
      {post ? (
        <p>
          <a class="danger" href={`${base}/${post.id}/delete`}>
            Delete this {noun}…
          </a>
        </p>
      ) : null}
      <section class="preview" data-preview-target>
        {preview !== undefined ? (
          <>
            <h2>Preview</h2>
            <article class="post-body">{raw(preview)}</article>
          </>
        ) : null}
      </section>
    </AdminLayout>
  );
}

/** A stale save: their saved version and the writer's, side by side; the writer's can be saved over theirs. */
export function ConflictPage({
  user,
  csrfToken,
  kind,
  current,
  mine,
}: {
  user: AuthUser;
  csrfToken: string;
  kind: WritingKind;
  current: Post;
  mine: EditorValues & { intent: string };
}) {
  return (
    <AdminLayout title="Someone else saved this post" user={user}>
      <h1>Someone else saved this post</h1>
      <p class="notice error" role="alert">
        While you were editing, this post was saved again (it is now at version {current.version}). Nothing is lost:
        compare the two versions, then save yours over theirs or go back to theirs.
      </p>
      <div class="conflict">
        <section>
          <h2>Saved now (version {current.version})</h2>
          <h3>{current.title}</h3>
          <p>Tags: {current.tags.map((tag) => tag.name).join(', ') || 'none'}</p>
          <p>Excerpt: {current.excerptCustom ? current.excerpt : '(the start of the body)'}</p>
          <pre class="markdown">{current.markdown}</pre>
          <p>
            <a href={`${kind.base}/${current.id}/edit`}>Keep this version and edit it</a>
          </p>
        </section>
        <section>
          <h2>Yours (not saved)</h2>
          <form method="post" action={`${kind.base}/${current.id}`} enctype="multipart/form-data">
            <CsrfField token={csrfToken} />
            <input type="hidden" name="version" value={String(current.version)} />
            <input type="hidden" name="slug" value={mine.slug} />
            <input type="hidden" name="publishAt" value={mine.publishAt} />
            <input type="hidden" name="timeZone" value={mine.timeZone} />
            <input type="hidden" name="emailSubscribersShown" value="1" />
            {mine.emailSubscribers ? <input type="hidden" name="emailSubscribers" value="on" /> : null}
            <label>
              Title
              <input name="title" value={mine.title} />
            </label>
            <label>
              Tags
              <input name="tags" value={mine.tags} />
            </label>
            <label>
              Excerpt
              <textarea name="excerpt" rows={2}>
                {mine.excerpt}
              </textarea>
            </label>
            <label>
              Markdown
              <textarea name="markdown" rows={20}>
                {mine.markdown}
              </textarea>
            </label>
            <button type="submit" name="intent" value={mine.intent}>
              Save mine over theirs
            </button>
          </form>
        </section>
      </div>
    </AdminLayout>
  );
}

export function DeleteConfirm({
  user,
  csrfToken,
  kind,
  post,
}: {
  user: AuthUser;
  csrfToken: string;
  kind: WritingKind;
  post: Post;
}) {
  return (
    <AdminLayout title={`Delete ${kind.type}`} user={user}>
      <h1>Delete “{post.title}”?</h1>
      <p>This cannot be undone. Images it shows stay while other posts use them.</p>
      <form method="post" action={`${kind.base}/${post.id}/delete`}>
        <CsrfField token={csrfToken} />
        <button type="submit" class="danger">
          Yes, delete it
        </button>{' '}
        <a href={`${kind.base}/${post.id}/edit`}>No, keep it</a>
      </form>
    </AdminLayout>
  );
}

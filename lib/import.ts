// Importing markdown files (Hexo, Jekyll, or our own export) as posts, through the same rules as the API: the
// same zod schema, the same createPost/updatePost (render, sanitize, slugs, tags, image references). Idempotent by
// slug: a file whose post already says the same is left alone, so an interrupted import is simply run again.
import { hasRole } from './auth/roles';
import type { Deps } from './context';
import * as postsDb from './db/posts';
import { getUserByUsername } from './db/users';
import { AppError, fromDatabaseError } from './errors';
import type { PostFile } from './front-matter';
import { MarkdownError } from './markdown';
import { checkPageSlug } from './pages/pages';
import { createPost, updatePost } from './posts';
import { CreatePostBody, type Post } from './schemas/post';
import type { AuthUser } from './schemas/user';
import { slugify } from './slug';
import { textTools } from './text';

export type ImportOutcome =
  | { status: 'created' | 'updated' | 'unchanged'; path: string; slug: string; note?: string }
  | { status: 'refused'; path: string; slug?: string; reason: string };

/**
 * Imports one file as `actor` (an editor or admin, who may update anyone's post). A new post is credited to the
 * file's `author` when that account exists and may write, else to the actor (and the outcome notes it).
 */
export async function importPostFile(
  deps: Deps,
  actor: AuthUser,
  file: { path: string; text: string },
  now = Date.now(),
): Promise<ImportOutcome> {
  const parsed = await (await textTools()).parsePostFile(file.text, file.path);
  if (!parsed.ok) return { status: 'refused', path: file.path, reason: parsed.reason };
  const { post } = parsed;
  const type = post.page ? 'page' : 'post';
  const body = CreatePostBody.safeParse({
    title: post.title,
    slug: post.slug,
    markdown: post.markdown,
    // Pages carry no tags.
    tags: post.page ? [] : post.tags,
    excerpt: post.excerpt ?? undefined,
    // Restoring or moving a blog is not news: an imported post is never mailed to subscribers.
    emailSubscribers: false,
    ...publicationOf(post, now),
  });
  if (!body.success) {
    const reason = body.error.issues.map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`).join('; ');
    return { status: 'refused', path: file.path, slug: post.slug, reason };
  }
  try {
    if (post.page) checkPageSlug(post.slug);
    const existing = await postsDb.getPostBySlug(deps.sql, post.slug);
    if (existing && existing.type !== type) {
      const reason = `the slug "${post.slug}" is already a ${existing.type} here, and this file is a ${type}`;
      return { status: 'refused', path: file.path, slug: post.slug, reason };
    }
    if (!existing) {
      const { author, note } = await creditedAuthor(deps, actor, post.author);
      // A draft has no publication time; its date (when it was written) becomes the post's creation time.
      const createdAt = post.draft && post.date && Date.parse(post.date) <= now ? post.date : undefined;
      await createPost(deps, author, body.data, now, { createdAt, type });
      return { status: 'created', path: file.path, slug: post.slug, ...(note ? { note } : {}) };
    }
    if (sameContent(existing, body.data)) return { status: 'unchanged', path: file.path, slug: post.slug };
    await updatePost(
      deps,
      actor,
      existing.id,
      {
        version: existing.version,
        title: body.data.title,
        markdown: body.data.markdown,
        tags: body.data.tags,
        // The file is the truth: without an excerpt, the post's follows the body again.
        excerpt: body.data.excerpt ?? null,
        status: body.data.status,
        // No date in the file: a published post keeps the time it has.
        publishedAt: body.data.publishedAt ?? (body.data.status === 'draft' ? null : existing.publishedAt),
      },
      now,
      { type },
    );
    return { status: 'updated', path: file.path, slug: post.slug };
  } catch (error) {
    const refusal = error instanceof MarkdownError ? new AppError('bad_request', error.message) : toAppError(error);
    if (!refusal) throw error; // the database is unreachable or worse: stop, and let a rerun resume
    return { status: 'refused', path: file.path, slug: post.slug, reason: refusal.message };
  }
}

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error.status >= 500 ? null : error;
  const mapped = fromDatabaseError(error);
  return mapped && mapped.status < 500 ? mapped : null;
}

/** Drafts stay drafts; a future date schedules the post; anything else is published at its date (or now). */
function publicationOf(post: PostFile, now: number): Pick<CreatePostBody, 'status' | 'publishedAt'> {
  if (post.draft) return { status: 'draft', publishedAt: null };
  if (post.date && Date.parse(post.date) > now) return { status: 'scheduled', publishedAt: post.date };
  return { status: 'published', publishedAt: post.date ?? undefined };
}

function sameContent(existing: Post, wanted: CreatePostBody): boolean {
  const tagSlugs = (slugs: string[]) => [...new Set(slugs)].sort().join('\n');
  return (
    existing.title === wanted.title &&
    existing.markdown === wanted.markdown &&
    (existing.excerptCustom ? existing.excerpt : '') === (wanted.excerpt ?? '') &&
    existing.status === wanted.status &&
    (wanted.publishedAt === undefined || existing.publishedAt === wanted.publishedAt) &&
    tagSlugs(existing.tags.map((tag) => tag.slug)) === tagSlugs(wanted.tags.map((name) => slugify(name, 60)))
  );
}

async function creditedAuthor(
  deps: Deps,
  actor: AuthUser,
  username: string | null,
): Promise<{ author: AuthUser; note?: string }> {
  if (!username || username.toLowerCase() === actor.username.toLowerCase()) return { author: actor };
  const user = await getUserByUsername(deps.sql, username);
  if (user && !user.disabled && hasRole(user, 'author')) {
    return { author: { id: user.id, username: user.username, displayName: user.displayName, role: user.role } };
  }
  return { author: actor, note: `no writer "${username}" here; credited to ${actor.username}` };
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  refused: { path: string; reason: string }[];
  notes: { path: string; note: string }[];
}

/** Imports files one after another (each is its own atomic save), reporting each outcome as it happens. */
export async function importPostFiles(
  deps: Deps,
  actor: AuthUser,
  files: { path: string; text: string }[],
  onEach: (outcome: ImportOutcome, done: number) => void = () => {},
  now = Date.now(),
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, refused: [], notes: [] };
  for (const [index, file] of files.entries()) {
    const outcome = await importPostFile(deps, actor, file, now);
    if (outcome.status === 'refused') summary.refused.push({ path: outcome.path, reason: outcome.reason });
    else {
      summary[outcome.status] += 1;
      if (outcome.note) summary.notes.push({ path: outcome.path, note: outcome.note });
    }
    onEach(outcome, index + 1);
  }
  return summary;
}

// From a parsed export (lib/importers/ghost.ts, wordpress.ts) to posts, in two phases. Planning converts every item
// (HTML to markdown, the API's own schema and caps, a trial render) and checks every slug against the file and the
// database; only a plan with no problem is written, so a broken export writes nothing and its report names every
// fault at once. Writing goes through createPost/updatePost, like any other save: the same renderer, sanitizer,
// tags and cache invalidation. A re-run finds each item's post by the export's own id and changes only what changed.
import { hasRole } from '../auth/roles';
import type { Deps } from '../context';
import * as importsDb from '../db/imports';
import type { PostOrigin } from '../db/posts';
import { getPostById } from '../db/posts';
import { getUserByEmail, getUserByUsername, insertUser } from '../db/users';
import { AppError, fromDatabaseError } from '../errors';
import { MarkdownError } from '../markdown';
import { createPost, updatePost } from '../posts';
import { CreatePostBody, MAX_MARKDOWN_BYTES, type Post, type PostType } from '../schemas/post';
import type { AuthUser } from '../schemas/user';
import { isReservedSlug } from '../pages/reserved-slugs';
import { SLUG_PATTERN, slugify } from '../slug';
import { textTools } from '../text';
import { copyImages, type ImageLeft } from './copy-images';
import type { ConvertOutcome } from '../text/tools';
import type { ImportProblem, SourceAuthor, SourceExport, SourceItem } from './source';

export interface ImportOptions {
  now?: number;
  /** Import the items that are fine and report the rest, instead of writing nothing when any item is broken. */
  skipInvalid?: boolean;
  /** Ghost writes `__GHOST_URL__` for its own address in links and images; this replaces it (default: a relative link). */
  oldSiteUrl?: string;
  /** Copy the images the posts show into R2 (lib/importers/copy-images.ts), at most `limit` fetches of them. */
  copyImages?: { limit?: number };
}

export interface ImportReport {
  source: SourceExport['source'];
  file: string;
  /** False when problems stopped the import before anything was written. */
  written: boolean;
  created: string[];
  updated: string[];
  unchanged: string[];
  authorsCreated: string[];
  skipped: { item: string; reason: string }[];
  notes: { item: string; note: string }[];
  problems: ImportProblem[];
  /** With copyImages: how many distinct images now live in R2, and those left at their old address. */
  imagesCopied: number;
  imagesLeft: ImageLeft[];
}

interface PlannedPost {
  item: SourceItem;
  body: CreatePostBody;
  /** The post this item became on an earlier run. */
  existingId: number | null;
}

/** Imports a parsed export as `actor` (an admin). Never throws for a bad item: the report says what and where. */
export async function importExport(
  deps: Deps,
  actor: AuthUser,
  parsed: SourceExport,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = {
    source: parsed.source,
    file: parsed.file,
    written: false,
    created: [],
    updated: [],
    unchanged: [],
    authorsCreated: [],
    skipped: [...parsed.skipped],
    notes: [],
    problems: [...parsed.problems],
    imagesCopied: 0,
    imagesLeft: [],
  };
  const planned = await planImport(deps, parsed, report, options);
  if (report.problems.length > 0 && !options.skipInvalid) return report;
  report.written = true;
  if (options.copyImages) await copyPlannedImages(deps, actor, planned, report, options);
  const authors = await resolveAuthors(deps, actor, parsed, planned, report);
  for (const post of planned) {
    try {
      await writePlannedPost(
        deps,
        actor,
        authors.get(post.item.authorKey ?? '') ?? actor,
        parsed,
        post,
        report,
        options,
      );
    } catch (error) {
      const refusal = error instanceof MarkdownError ? new AppError('bad_request', error.message) : expected(error);
      if (!refusal) throw error; // the database is unreachable or worse: stop; a rerun resumes where this stopped
      report.problems.push({ file: parsed.file, item: post.item.at, field: 'post', message: refusal.message });
    }
  }
  return report;
}

function expected(error: unknown): AppError | null {
  const mapped = error instanceof AppError ? error : fromDatabaseError(error);
  return mapped && mapped.status < 500 ? mapped : null;
}

async function planImport(
  deps: Deps,
  parsed: SourceExport,
  report: ImportReport,
  options: ImportOptions,
): Promise<PlannedPost[]> {
  const now = options.now ?? Date.now();
  const problem = (item: SourceItem, field: string, message: string) =>
    report.problems.push({ file: parsed.file, item: item.at, field, message });
  const candidates: { item: SourceItem; slug: string }[] = [];
  const slugsInFile = new Map<string, string>();
  for (const item of parsed.items) {
    const slug = slugOf(item);
    if (!slug) {
      problem(item, 'slug', 'no letters or digits to make a slug from');
      continue;
    }
    if (slug !== item.slug && item.slug)
      report.notes.push({ item: item.at, note: `slug "${item.slug}" became "${slug}"` });
    // A page is served at `/{slug}`: one of the site's own addresses cannot be its slug (lib/pages/reserved-slugs.ts).
    if (item.kind === 'page' && isReservedSlug(slug)) {
      problem(item, 'slug', `"/${slug}" is an address of the site itself; rename the page in the export`);
      continue;
    }
    if (item.kind === 'page' && item.tags.length > 0)
      report.notes.push({ item: item.at, note: `pages have no tags here: ${item.tags.join(', ')} left out` });
    const earlier = slugsInFile.get(slug);
    if (earlier) {
      problem(item, 'slug', `"${slug}" is also the slug of ${earlier} in this file`);
      continue;
    }
    slugsInFile.set(slug, item.at);
    candidates.push({ item, slug });
  }
  // The text Worker converts and trial-renders the whole file in one call each: a call per item would spend the
  // request's subrequests, which the database writes need.
  const conversions = await markdownsOf(
    candidates.map(({ item }) => item),
    options.oldSiteUrl ?? '',
  );
  const checked: { item: SourceItem; body: CreatePostBody }[] = [];
  for (const [at, { item, slug }] of candidates.entries()) {
    const conversion = conversions[at]!;
    if (!conversion.ok) {
      problem(item, 'html', `could not be converted: ${conversion.reason}`);
      continue;
    }
    const { markdown } = conversion;
    if (!markdown) {
      report.skipped.push({ item: item.at, reason: 'no content' });
      continue;
    }
    const body = CreatePostBody.safeParse({
      title: item.title.trim().slice(0, 200),
      slug,
      markdown,
      tags: item.tags,
      excerpt: item.excerpt ?? undefined,
      ...publicationOf(item, now),
    });
    if (!body.success) {
      const fields = new Set<string>();
      for (const issue of body.error.issues) {
        const field = issue.path[0] === 'markdown' ? 'html' : issue.path.join('.') || 'post';
        if (fields.has(field)) continue; // one message per field is enough to act on
        fields.add(field);
        problem(item, field, field === 'html' ? (tooLong(markdown) ?? issue.message) : issue.message);
      }
      continue;
    }
    checked.push({ item, body: body.data });
  }
  // A trial render, so content the renderer refuses is reported before anything is written.
  const text = await textTools();
  const trials = await text.renderMarkdowns(
    checked.map(({ body }) => body.markdown),
    'post',
  );
  const converted = checked.filter(({ item }, at) => {
    const trial = trials[at]!;
    if (!trial.ok) problem(item, 'html', trial.reason);
    return trial.ok;
  });
  if (converted.length === 0) return [];
  const [imported, taken] = await Promise.all([
    importsDb.getImportedPostIds(
      deps.sql,
      parsed.source,
      converted.map(({ item }) => item.sourceId),
    ),
    importsDb.getPostIdsBySlug(
      deps.sql,
      converted.map(({ body }) => body.slug!),
    ),
  ]);
  return converted.flatMap(({ item, body }) => {
    const existingId = imported.get(item.sourceId) ?? null;
    const holder = taken.get(body.slug!);
    if (existingId === null && holder !== undefined) {
      problem(item, 'slug', `"${body.slug}" is taken by a post already here (id ${holder}); rename one of them`);
      return [];
    }
    return [{ item, body, existingId }];
  });
}

/**
 * Once the plan stands: the planned items' images copied into R2, and each item that showed one converted again to
 * point at the copies. A body the longer addresses would push over the cap keeps the old ones, with a note.
 */
async function copyPlannedImages(
  deps: Deps,
  actor: AuthUser,
  planned: PlannedPost[],
  report: ImportReport,
  options: ImportOptions,
): Promise<void> {
  const oldSiteUrl = options.oldSiteUrl ?? '';
  const images = await imagesOf(
    planned.map(({ item }) => item),
    oldSiteUrl,
  );
  const sources = new Map(planned.map(({ item }, at) => [item.at, images[at]!]));
  const { copied, left } = await copyImages(deps, actor, sources, {
    oldSiteUrl: options.oldSiteUrl,
    limit: options.copyImages?.limit,
  });
  report.imagesCopied = copied.size;
  report.imagesLeft = left;
  if (copied.size === 0) return;
  const moved = planned.filter((post) => sources.get(post.item.at)!.some((src) => copied.has(src)));
  const conversions = await markdownsOf(
    moved.map((post) => post.item),
    oldSiteUrl,
    copied,
  );
  for (const [at, post] of moved.entries()) {
    const converted = conversions[at]!;
    // It converted before the copies; should it not now, the post keeps its images at their old addresses.
    if (!converted.ok) continue;
    const checked = CreatePostBody.shape.markdown.safeParse(converted.markdown);
    if (checked.success) post.body = { ...post.body, markdown: checked.data };
    else
      report.notes.push({
        item: post.item.at,
        note: 'images left at their old addresses: the copies made the body too long',
      });
  }
}

/** The cap, said in the writer's terms, when that is what the body broke. */
function tooLong(markdown: string): string | null {
  const bytes = new TextEncoder().encode(markdown).length;
  if (bytes <= MAX_MARKDOWN_BYTES) return null;
  return `the post is ${Math.ceil(bytes / 1024)} KB as markdown, over the ${MAX_MARKDOWN_BYTES / 1024} KB limit for a post`;
}

function slugOf(item: SourceItem): string {
  const given = item.slug.trim();
  if (given.length <= 120 && SLUG_PATTERN.test(given)) return given;
  return slugify(given || item.title, 120);
}

/** Each item's images as its HTML writes them (Ghost's address put back), the feature image first. */
async function imagesOf(items: SourceItem[], oldSiteUrl: string): Promise<string[][]> {
  const text = await textTools();
  const sources = await text.imageSources(items.map((item) => item.html.replaceAll('__GHOST_URL__', oldSiteUrl)));
  return items.map((item, at) => {
    const feature = item.featureImage?.replaceAll('__GHOST_URL__', oldSiteUrl).trim();
    return [...new Set([...(feature ? [feature] : []), ...(sources[at] ?? [])])];
  });
}

/** Each item's body as markdown, its images at their copies' addresses when `copied` has them. */
async function markdownsOf(
  items: SourceItem[],
  oldSiteUrl: string,
  copied?: Map<string, string>,
): Promise<ConvertOutcome[]> {
  const text = await textTools();
  const conversions = await text.htmlToMarkdown(
    items.map((item) => item.html.replaceAll('__GHOST_URL__', oldSiteUrl)),
    copied,
  );
  return items.map((item, at) => {
    const converted = conversions[at]!;
    if (!converted.ok || !converted.markdown) return converted;
    const feature = item.featureImage?.replaceAll('__GHOST_URL__', oldSiteUrl).trim();
    const image = feature && copied ? (copied.get(feature) ?? feature) : feature;
    // lembas has no separate cover image: the feature image leads the body, at its old address.
    const body = converted.markdown;
    return {
      ok: true,
      markdown: image ? `![](${image.replaceAll(' ', '%20').replaceAll(')', '%29')})\n\n${body}` : body,
    };
  });
}

/** Published posts keep their date (a future one schedules them); a scheduled post whose time has passed is published. */
function publicationOf(item: SourceItem, now: number): Pick<CreatePostBody, 'status' | 'publishedAt'> {
  const at = item.publishedAt ? new Date(item.publishedAt).toISOString() : undefined;
  if (item.status === 'draft' || !at || Number.isNaN(Date.parse(at))) return { status: 'draft', publishedAt: null };
  return Date.parse(at) > now ? { status: 'scheduled', publishedAt: at } : { status: 'published', publishedAt: at };
}

async function writePlannedPost(
  deps: Deps,
  actor: AuthUser,
  author: AuthUser,
  parsed: SourceExport,
  { item, body: given, existingId }: PlannedPost,
  report: ImportReport,
  options: ImportOptions,
): Promise<void> {
  const formerPaths = item.formerPaths.filter((path) => path.length >= 2 && path.length <= 500);
  // Pages have no tags (the planning step noted those left out).
  const bodyFor = (type: PostType): CreatePostBody => (type === 'page' ? { ...given, tags: [] } : given);
  if (existingId === null) {
    const body = bodyFor(item.kind);
    const origin: PostOrigin = { source: parsed.source, sourceId: item.sourceId, formerPaths };
    const createdAt =
      item.createdAt && Date.parse(item.createdAt) <= (options.now ?? Date.now()) ? item.createdAt : undefined;
    const post = await createPost(deps, author, body, options.now, { createdAt, origin, type: item.kind });
    report.created.push(post.slug);
    return;
  }
  const existing = await getPostById(deps.sql, existingId);
  if (!existing) return; // deleted since the lookup a moment ago
  const body = bodyFor(existing.type);
  if (existing.type !== item.kind) {
    // Before lembas had pages, a page was imported as a post; it stays one (its address and links are out there).
    report.notes.push({
      item: item.at,
      note: `a ${item.kind} in the export, a ${existing.type} here since an earlier import; kept as a ${existing.type}`,
    });
  }
  await importsDb.addRedirects(deps.sql, existing.id, formerPaths);
  if (sameContent(existing, body)) {
    report.unchanged.push(existing.slug);
    return;
  }
  // The post keeps the slug it has here (it may have been renamed since the first import).
  const saved = await updatePost(
    deps,
    actor,
    existing.id,
    {
      version: existing.version,
      title: body.title,
      markdown: body.markdown,
      tags: body.tags,
      excerpt: body.excerpt ?? null,
      status: body.status,
      publishedAt: body.publishedAt ?? null,
    },
    options.now,
    { type: existing.type },
  );
  report.updated.push(saved.slug);
}

function sameContent(existing: Post, wanted: CreatePostBody): boolean {
  const tagSlugs = (names: string[]) => [...new Set(names)].sort().join('\n');
  return (
    existing.title === wanted.title &&
    existing.markdown === wanted.markdown &&
    (existing.excerptCustom ? existing.excerpt : '') === (wanted.excerpt ?? '') &&
    existing.status === wanted.status &&
    existing.publishedAt === (wanted.publishedAt ?? null) &&
    tagSlugs(existing.tags.map((tag) => tag.slug)) === tagSlugs(wanted.tags.map((name) => slugify(name, 60)))
  );
}

/**
 * The account each export author writes as: the one with the same email, else a new author account without a
 * password (its owner claims it with a password reset). An item whose author the export does not list is the actor's.
 */
async function resolveAuthors(
  deps: Deps,
  actor: AuthUser,
  parsed: SourceExport,
  planned: PlannedPost[],
  report: ImportReport,
): Promise<Map<string, AuthUser>> {
  const wanted = new Set(planned.filter((post) => post.existingId === null).map((post) => post.item.authorKey ?? ''));
  const byKey = new Map(parsed.authors.map((author) => [author.key, author]));
  const resolved = new Map<string, AuthUser>();
  for (const key of wanted) {
    const author = byKey.get(key);
    if (!author) {
      if (key)
        report.notes.push({
          item: `author "${key}"`,
          note: `not in the export's authors; credited to ${actor.username}`,
        });
      continue;
    }
    const account = await accountFor(deps, author, report);
    if (account) resolved.set(key, account);
    else
      report.notes.push({
        item: `author "${key}"`,
        note: `the account with that email may not write; credited to ${actor.username}`,
      });
  }
  return resolved;
}

/** Stored in place of a password hash: no password ever matches it (lib/auth/password.ts cannot parse it). */
const NO_PASSWORD = 'imported:no-password';

async function accountFor(deps: Deps, author: SourceAuthor, report: ImportReport): Promise<AuthUser | null> {
  const email =
    author.email && /^[^\s@]+@[^\s@]+$/.test(author.email) ? author.email : `${author.username}@imported.invalid`;
  const existing = await getUserByEmail(deps.sql, email);
  if (existing) {
    if (existing.disabled || !hasRole(existing, 'author')) return null;
    return { id: existing.id, username: existing.username, displayName: existing.displayName, role: existing.role };
  }
  let username = author.username;
  for (let n = 2; await getUserByUsername(deps.sql, username); n += 1) {
    username = `${author.username.slice(0, 28)}-${n}`;
  }
  const user = await insertUser(deps.sql, {
    email,
    username,
    displayName: author.displayName,
    role: 'author',
    passwordHash: NO_PASSWORD,
    bio: author.bio,
  });
  report.authorsCreated.push(user.username);
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

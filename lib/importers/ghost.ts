// Ghost's JSON export (Settings > Labs > Export): `db[0].data` holds `posts` (posts and pages, told apart by
// `type`), `tags` and `posts_tags`, `users` and `posts_authors`. Only what lembas keeps is read; everything else
// in the file (settings, members, newsletters...) is ignored.
import { z } from 'zod';
import {
  itemLabel,
  redirectPath,
  usernameFrom,
  type ImportProblem,
  type SourceAuthor,
  type SourceExport,
  type SourceItem,
} from './source';

const Id = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
const Time = z.string().max(40).nullish();

const GhostPost = z.object({
  id: Id,
  title: z.string().max(2000),
  slug: z.string().min(1).max(500),
  html: z.string().nullish(),
  type: z.enum(['post', 'page']).default('post'),
  status: z.string().max(40),
  published_at: Time,
  created_at: Time,
  custom_excerpt: z.string().max(5000).nullish(),
  feature_image: z.string().max(2000).nullish(),
  author_id: Id.nullish(),
});

const GhostTag = z.object({ id: Id, name: z.string().max(500), slug: z.string().max(500).nullish() });
const GhostUser = z.object({
  id: Id,
  name: z.string().max(500),
  slug: z.string().max(500),
  email: z.string().max(254).nullish(),
  bio: z.string().max(5000).nullish(),
});
const PostLink = z.object({ post_id: Id, sort_order: z.number().nullish() });
const PostTag = PostLink.extend({ tag_id: Id });
const PostAuthor = PostLink.extend({ author_id: Id });

const GhostFile = z.object({
  db: z
    .array(
      z.object({
        data: z.object({
          posts: z.array(z.unknown()),
          tags: z.array(z.unknown()).default([]),
          posts_tags: z.array(z.unknown()).default([]),
          users: z.array(z.unknown()).default([]),
          posts_authors: z.array(z.unknown()).default([]),
        }),
      }),
    )
    .min(1),
});

const STATUSES: Record<string, SourceItem['status'] | undefined> = {
  published: 'published',
  draft: 'draft',
  scheduled: 'scheduled',
};

/** Reads a Ghost export; a file that is not one gives a single problem and nothing else. */
export function parseGhostExport(text: string, file: string): SourceExport {
  const result: SourceExport = { source: 'ghost', file, authors: [], items: [], skipped: [], problems: [] };
  const problem = (item: string, field: string, message: string) =>
    result.problems.push({ file, item, field, message } satisfies ImportProblem);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problem('file', 'file', `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    return result;
  }
  const shape = GhostFile.safeParse(json);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    problem('file', issue?.path.join('.') || 'db', `not a Ghost export (expected db[0].data.posts): ${issue?.message}`);
    return result;
  }
  const data = shape.data.db[0]!.data;

  // Links and lookups first; a malformed one is a problem of its own, named by its place in the file.
  const valid = <T>(schema: z.ZodType<T>, rows: unknown[], table: string): T[] =>
    rows.flatMap((row, index) => {
      const parsed = schema.safeParse(row);
      if (parsed.success) return [parsed.data];
      const issue = parsed.error.issues[0];
      const title = (row as { title?: unknown; name?: unknown } | null)?.title ?? (row as { name?: unknown })?.name;
      problem(itemLabel(`${table}[${index}]`, title), issue?.path.join('.') || table, issue?.message ?? 'invalid');
      return [];
    });
  const tags = new Map(valid(GhostTag, data.tags, 'tags').map((tag) => [tag.id, tag]));
  const users = valid(GhostUser, data.users, 'users');
  const tagsOf = groupLinks(valid(PostTag, data.posts_tags, 'posts_tags'), (link) => link.tag_id);
  const authorsOf = groupLinks(valid(PostAuthor, data.posts_authors, 'posts_authors'), (link) => link.author_id);

  result.authors = users.map((user): SourceAuthor => ({
    key: user.id,
    username: usernameFrom(user.slug),
    displayName: user.name.trim().slice(0, 80) || user.slug,
    email: user.email?.trim() || null,
    bio: (user.bio ?? '').slice(0, 500),
  }));

  data.posts.forEach((row, index) => {
    const parsed = GhostPost.safeParse(row);
    const label = itemLabel(`posts[${index}]`, (row as { title?: unknown } | null)?.title);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(label, issue.path.join('.') || 'post', issue.message);
      return;
    }
    const post = parsed.data;
    const status = STATUSES[post.status];
    if (!status) {
      result.skipped.push({
        item: label,
        reason: `status "${post.status}" (only published, draft and scheduled posts move)`,
      });
      return;
    }
    if (post.html == null) {
      problem(label, 'html', 'missing: export from Ghost 4 or later, which includes each post as HTML');
      return;
    }
    const tagNames = (tagsOf.get(post.id) ?? [])
      .map((id) => tags.get(id))
      // Internal tags (`#hash`) organise Ghost's own templates; they are not for readers.
      .filter((tag) => tag && !tag.name.startsWith('#'))
      .map((tag) => tag!.name.trim());
    result.items.push({
      sourceId: post.id,
      at: label,
      kind: post.type,
      title: post.title,
      slug: post.slug,
      html: post.html,
      status,
      publishedAt: post.published_at ?? null,
      createdAt: post.created_at ?? null,
      excerpt: post.custom_excerpt ?? null,
      authorKey: authorsOf.get(post.id)?.[0] ?? post.author_id ?? null,
      tags: tagNames,
      featureImage: post.feature_image ?? null,
      formerPaths: [redirectPath(`/${post.slug}/`)],
    });
  });
  return result;
}

/** post id -> linked ids, in the export's sort order. */
function groupLinks<T extends { post_id: string; sort_order?: number | null }>(
  links: T[],
  target: (link: T) => string,
): Map<string, string[]> {
  const sorted = [...links].sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
  const grouped = new Map<string, string[]>();
  for (const link of sorted) grouped.set(link.post_id, [...(grouped.get(link.post_id) ?? []), target(link)]);
  return grouped;
}

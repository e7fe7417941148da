// A page of post summaries: the home page, a tag's page and search results share it.
import type { PostPage, PostSummary } from '../../../lib/schemas/post';
import type { SiteSettings } from '../../../lib/settings/schema';
import { authorPath } from '../../../lib/seo';
import { formatDate, Layout } from './layout';
import type { Seo } from './seo';

export interface PostListProps {
  page: PostPage;
  site: SiteSettings;
  title: string;
  /** Shown above the list; the home page keeps it for screen readers only. */
  heading?: string;
  /** A paragraph under the heading (an author's bio). */
  intro?: string;
  description?: string;
  query?: string;
  /** Builds the "older" link from the next cursor. */
  nextHref: (cursor: string) => string;
  emptyText: string;
  seo?: Seo;
}

export function PostListPage({
  page,
  site,
  title,
  heading,
  intro,
  description,
  query,
  nextHref,
  emptyText,
  seo,
}: PostListProps) {
  const next = page.nextCursor ? nextHref(page.nextCursor) : undefined;
  return (
    <Layout title={title} site={site} description={description} query={query} seo={{ next, ...seo }}>
      {heading ? <h1 class="list-heading">{heading}</h1> : <h1 class="visually-hidden">{site.title}</h1>}
      {intro ? <p class="intro">{intro}</p> : null}
      {page.items.length === 0 ? <p class="empty">{emptyText}</p> : null}
      <ol class="post-list">
        {page.items.map((post) => (
          <li>
            <PostCard post={post} site={site} />
          </li>
        ))}
      </ol>
      <OlderPostsLink href={next} />
    </Layout>
  );
}

/** The link to the next (older) keyset page of a list, when there is one. */
export function OlderPostsLink({ href }: { href: string | undefined }) {
  return href ? (
    <nav class="pager">
      <a rel="next" href={href}>
        Older posts →
      </a>
    </nav>
  ) : null;
}

function PostCard({ post, site }: { post: PostSummary; site: SiteSettings }) {
  return (
    <article>
      <h2>
        <a href={`/posts/${post.slug}`}>{post.title}</a>
      </h2>
      <p class="meta">
        <time datetime={post.publishedAt ?? ''}>{formatDate(post.publishedAt, site)}</time> · {post.readingMinutes} min
        read · <a href={authorPath(post.author.username)}>{post.author.displayName}</a>
      </p>
      <p>{post.excerpt}</p>
      <TagLinks tags={post.tags} />
    </article>
  );
}

export function TagLinks({ tags }: { tags: PostSummary['tags'] }) {
  if (tags.length === 0) return null;
  return (
    <p class="tags">
      {tags.map((tag) => (
        <a class="tag" href={`/tags/${tag.slug}`}>
          #{tag.name}
        </a>
      ))}
    </p>
  );
}

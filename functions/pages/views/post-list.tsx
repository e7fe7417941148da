// A page of post summaries: the home page, a tag's page and search results share it.
import type { PostPage, PostSummary } from '../../../lib/schemas/post';
import { formatDate, Layout } from './layout';

export interface PostListProps {
  page: PostPage;
  siteName: string;
  title: string;
  /** Shown above the list; the home page keeps it for screen readers only. */
  heading?: string;
  description?: string;
  query?: string;
  /** Builds the "older" link from the next cursor. */
  nextHref: (cursor: string) => string;
  emptyText: string;
}

export function PostListPage({
  page,
  siteName,
  title,
  heading,
  description,
  query,
  nextHref,
  emptyText,
}: PostListProps) {
  return (
    <Layout title={title} siteName={siteName} description={description} query={query}>
      {heading ? <h1 class="list-heading">{heading}</h1> : <h1 class="visually-hidden">{siteName}</h1>}
      {page.items.length === 0 ? <p class="empty">{emptyText}</p> : null}
      <ol class="post-list">
        {page.items.map((post) => (
          <li>
            <PostCard post={post} />
          </li>
        ))}
      </ol>
      {page.nextCursor ? (
        <nav class="pager">
          <a rel="next" href={nextHref(page.nextCursor)}>
            Older posts →
          </a>
        </nav>
      ) : null}
    </Layout>
  );
}

function PostCard({ post }: { post: PostSummary }) {
  return (
    <article>
      <h2>
        <a href={`/posts/${post.slug}`}>{post.title}</a>
      </h2>
      <p class="meta">
        <time datetime={post.publishedAt ?? ''}>{formatDate(post.publishedAt)}</time> · {post.readingMinutes} min read ·{' '}
        {post.author.displayName}
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

// The home page: newest published posts, one keyset page at a time.
import type { PostPage } from '../../../lib/schemas/post';
import { formatDate, Layout } from './layout';

export function HomePage({ page, siteName, description }: { page: PostPage; siteName: string; description: string }) {
  return (
    <Layout title={siteName} siteName={siteName} description={description}>
      <h1 class="visually-hidden">{siteName}</h1>
      {page.items.length === 0 ? <p class="empty">No posts yet.</p> : null}
      <ol class="post-list">
        {page.items.map((post) => (
          <li>
            <article>
              <h2>
                <a href={`/posts/${post.slug}`}>{post.title}</a>
              </h2>
              <p class="meta">
                <time datetime={post.publishedAt ?? ''}>{formatDate(post.publishedAt)}</time> · {post.readingMinutes} min read
                · {post.author.displayName}
              </p>
              <p>{post.excerpt}</p>
              {post.tags.length > 0 ? (
                <p class="tags">
                  {post.tags.map((tag) => (
                    <span class="tag">#{tag.name}</span>
                  ))}
                </p>
              ) : null}
            </article>
          </li>
        ))}
      </ol>
      {page.nextCursor ? (
        <nav class="pager">
          <a rel="next" href={`/?cursor=${encodeURIComponent(page.nextCursor)}`}>
            Older posts →
          </a>
        </nav>
      ) : null}
    </Layout>
  );
}

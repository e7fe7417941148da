// Around a post: the previous and next post, and posts sharing its tags. Cached apart from the post itself.
import type { PostContext } from '../../../lib/db/posts';
import { postPath } from '../../../lib/seo';

export function PostNeighbours({ context }: { context: PostContext | null }) {
  if (!context?.previous && !context?.next) return null;
  return (
    <nav class="post-neighbours" aria-label="More posts">
      {context.previous ? (
        <a rel="prev" href={postPath(context.previous.slug)}>
          ← {context.previous.title}
        </a>
      ) : (
        <span />
      )}
      {context.next ? (
        <a rel="next" href={postPath(context.next.slug)}>
          {context.next.title} →
        </a>
      ) : null}
    </nav>
  );
}

export function RelatedPosts({ context }: { context: PostContext | null }) {
  if (!context || context.related.length === 0) return null;
  return (
    <section class="related" aria-labelledby="related-heading">
      <h2 id="related-heading">Related posts</h2>
      <ul>
        {context.related.map((post) => (
          <li>
            <a href={postPath(post.slug)}>{post.title}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

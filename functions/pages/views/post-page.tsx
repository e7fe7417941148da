// One post: its rendered HTML (sanitized when it was saved), table of contents and metadata.
import { raw } from 'hono/html';
import type { CommentPage } from '../../../lib/schemas/comment';
import type { Post } from '../../../lib/schemas/post';
import { CommentsSection } from './comments';
import { ReactionsSlot } from './reactions';
import { formatDate, Layout } from './layout';
import { TagLinks } from './post-list';

export interface PostPageProps {
  post: Post;
  siteName: string;
  siteUrl: string;
  thread?: CommentPage | null;
}

export function PostPage({ post, siteName, siteUrl, thread = null }: PostPageProps) {
  return (
    <Layout
      title={post.title}
      siteName={siteName}
      description={post.excerpt}
      canonical={`${siteUrl}/posts/${post.slug}`}
    >
      <article class="post">
        <header>
          <h1>{post.title}</h1>
          <p class="meta">
            <time datetime={post.publishedAt ?? ''}>{formatDate(post.publishedAt)}</time> · {post.readingMinutes} min
            read · by {post.author.displayName} · {post.views === 1 ? '1 view' : `${post.views} views`}
          </p>
          <TagLinks tags={post.tags} />
        </header>
        {post.toc.length > 1 ? (
          <nav class="toc" aria-label="Table of contents">
            <p class="toc-title">Contents</p>
            <ol>
              {post.toc.map((entry) => (
                <li class={`toc-${entry.depth}`}>
                  <a href={`#${entry.id}`}>{entry.text}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        {/* Sanitized by the allowlist in lib/markdown.ts at save time; safe to emit as-is. */}
        <div class="post-body">{raw(post.html)}</div>
        <ReactionsSlot post={post} />
      </article>
      <CommentsSection slug={post.slug} thread={thread} />
    </Layout>
  );
}

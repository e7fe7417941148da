// One post: its rendered HTML (sanitized when it was saved), table of contents and metadata.
import { raw } from 'hono/html';
import type { PostContext } from '../../../lib/db/posts';
import type { CommentPage } from '../../../lib/schemas/comment';
import type { PostView } from '../../../lib/schemas/post';
import { absoluteUrl, authorPath, blogPostingLd, postPath, type SiteInfo } from '../../../lib/seo';
import type { SiteSettings } from '../../../lib/settings/schema';
import { CommentsSection } from './comments';
import { ReactionsSlot } from './reactions';
import { formatDate, Layout } from './layout';
import { PostNeighbours, RelatedPosts } from './post-extras';
import { TagLinks } from './post-list';

export interface PostPageProps {
  post: PostView;
  site: SiteInfo;
  settings: SiteSettings;
  context: PostContext | null;
  thread?: CommentPage | null;
}

export function PostPage({ post, site, settings, context, thread = null }: PostPageProps) {
  // Edits within a day of publishing are corrections, not updates worth announcing.
  const updated = post.publishedAt && Date.parse(post.updatedAt) - Date.parse(post.publishedAt) > 86_400_000;
  return (
    <Layout
      title={post.title}
      site={settings}
      seo={{
        description: post.excerpt,
        canonical: absoluteUrl(site.url, postPath(post.slug)),
        type: 'article',
        publishedTime: post.publishedAt,
        modifiedTime: post.updatedAt,
        prev: context?.previous ? postPath(context.previous.slug) : undefined,
        next: context?.next ? postPath(context.next.slug) : undefined,
        jsonLd: blogPostingLd(site, post),
      }}
    >
      <article class="post">
        {/* Counts this view: the page itself may come from the edge cache (functions/posts/views.ts). */}
        <script src="/static/views.js" data-post={post.slug} defer></script>
        <header>
          <h1>{post.title}</h1>
          <p class="meta">
            <time datetime={post.publishedAt ?? ''}>{formatDate(post.publishedAt, settings)}</time>
            {updated ? (
              <>
                {' '}
                · updated <time datetime={post.updatedAt}>{formatDate(post.updatedAt, settings)}</time>
              </>
            ) : null}{' '}
            · {post.readingMinutes} min read · by{' '}
            <a href={authorPath(post.author.username)}>{post.author.displayName}</a> ·{' '}
            {post.views === 1 ? '1 view' : `${post.views} views`}
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
      <PostNeighbours context={context} />
      <RelatedPosts context={context} />
      <CommentsSection postId={post.id} thread={thread} site={settings} />
    </Layout>
  );
}

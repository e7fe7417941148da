// Re-renders every post's and comment's stored HTML (and a post's excerpt and reading time) from its markdown with
// the current renderer (new highlighting, sanitizer rules, balanced output, excerpt fixes): safe to run at any time
// and more than once, since it only rewrites derived columns.
import type { Sql } from './clients';
import { listCommentSources, saveRenderedComment } from './db/comments';
import { listPostSources, saveRenderedPost } from './db/posts';
import { MarkdownError, renderMarkdown, type MarkdownProfile, type RenderedMarkdown } from './markdown';

const BATCH = 100;

export interface RerenderReport {
  checked: number;
  changed: number;
  /** Rows whose markdown the current renderer refuses; their old HTML is kept. */
  failed: { id: number; reason: string }[];
}

export async function rerenderPosts(sql: Sql): Promise<RerenderReport> {
  const report: RerenderReport = { checked: 0, changed: 0, failed: [] };
  let afterId = 0;
  for (;;) {
    const batch = await listPostSources(sql, afterId, BATCH);
    if (batch.length === 0) return report;
    for (const post of batch) {
      afterId = post.id;
      const rendered = await renderOrReport(post.id, post.markdown, 'post', report);
      if (!rendered) continue;
      const current =
        rendered.html === post.html &&
        rendered.readingMinutes === post.readingMinutes &&
        (post.derivedExcerpt === null || rendered.excerpt === post.derivedExcerpt);
      if (current) continue;
      await saveRenderedPost(sql, post.id, rendered);
      report.changed += 1;
    }
  }
}

/** Comments, hidden and deleted ones included (a restored comment shows its stored HTML again). */
export async function rerenderComments(sql: Sql): Promise<RerenderReport> {
  const report: RerenderReport = { checked: 0, changed: 0, failed: [] };
  let afterId = 0;
  for (;;) {
    const batch = await listCommentSources(sql, afterId, BATCH);
    if (batch.length === 0) return report;
    for (const comment of batch) {
      afterId = comment.id;
      const rendered = await renderOrReport(comment.id, comment.markdown, 'comment', report);
      if (!rendered || rendered.html === comment.html) continue;
      await saveRenderedComment(sql, comment.id, rendered.html);
      report.changed += 1;
    }
  }
}

async function renderOrReport(
  id: number,
  markdown: string,
  profile: MarkdownProfile,
  report: RerenderReport,
): Promise<RenderedMarkdown | null> {
  report.checked += 1;
  try {
    return await renderMarkdown(markdown, profile);
  } catch (error) {
    if (!(error instanceof MarkdownError)) throw error;
    report.failed.push({ id, reason: error.message });
    return null;
  }
}

// Re-renders every post's stored HTML, excerpt and reading time from its markdown with the current renderer (new
// highlighting, sanitizer rules, excerpt fixes): safe to run at any time and more than once, since it only rewrites
// derived columns.
import type { Sql } from './clients';
import { listPostSources, saveRenderedPost } from './db/posts';
import { MarkdownError, renderMarkdown, type RenderedMarkdown } from './markdown';

const BATCH = 100;

export interface RerenderReport {
  checked: number;
  changed: number;
  /** Posts whose markdown the current renderer refuses; their old HTML is kept. */
  failed: { id: number; reason: string }[];
}

export async function rerenderPosts(sql: Sql): Promise<RerenderReport> {
  const report: RerenderReport = { checked: 0, changed: 0, failed: [] };
  let afterId = 0;
  for (;;) {
    const batch = await listPostSources(sql, afterId, BATCH);
    if (batch.length === 0) return report;
    for (const post of batch) {
      report.checked += 1;
      afterId = post.id;
      let rendered: RenderedMarkdown;
      try {
        rendered = await renderMarkdown(post.markdown);
      } catch (error) {
        if (!(error instanceof MarkdownError)) throw error;
        report.failed.push({ id: post.id, reason: error.message });
        continue;
      }
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

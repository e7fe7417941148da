// Re-renders every post's and comment's stored HTML (and a post's excerpt and reading time), and the settings
// footer's, from its markdown with
// the current renderer (new highlighting, sanitizer rules, balanced output, excerpt fixes): safe to run at any time
// and more than once, since it only rewrites derived columns.
import type { Sql } from './clients';
import { listCommentSources, saveRenderedComment } from './db/comments';
import { listPostSources, saveRenderedPost } from './db/posts';
import { getStoredSettings, saveRenderedFooter } from './db/settings';
import { MarkdownError, renderMarkdown, type MarkdownProfile, type RenderedMarkdown } from './markdown';
import { footerHtmlOf } from './settings/footer';

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

/** The site settings' footer (one row; `failed` names it as id 1). Untouched when no footer was ever saved. */
export async function rerenderSettingsFooter(sql: Sql): Promise<RerenderReport> {
  const report: RerenderReport = { checked: 0, changed: 0, failed: [] };
  const stored = (await getStoredSettings(sql)) as { footer?: unknown; footerHtml?: unknown };
  if (typeof stored.footer !== 'string') return report;
  report.checked = 1;
  let html: string;
  try {
    html = await footerHtmlOf(stored.footer);
  } catch (error) {
    if (!(error instanceof MarkdownError)) throw error;
    report.failed.push({ id: 1, reason: error.message });
    return report;
  }
  if (html !== stored.footerHtml && (await saveRenderedFooter(sql, stored.footer, html))) report.changed = 1;
  return report;
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

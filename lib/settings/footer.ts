// The settings footer's HTML: short markdown rendered and sanitized as a comment is. One function for the save
// (lib/settings) and for `npm run db:rerender` (lib/rerender.ts), so both store what the current renderer makes.
import { renderMarkdown } from '../markdown';

/** '' for an empty footer; throws MarkdownError for markdown the renderer refuses. */
export async function footerHtmlOf(markdown: string): Promise<string> {
  if (!markdown.trim()) return '';
  return (await renderMarkdown(markdown, 'comment')).html;
}

// Markdown to safe HTML, run when content is saved (never per read): marked, then an allowlist sanitizer whose
// output is rebuilt as a balanced tree (lib/markdown-engine.ts, lib/balanced-html.ts). The engine is imported on
// first use: marked builds its grammar's regular expressions and the sanitizer its tables when their modules load,
// measured at a sixth of a cold isolate's start, and an isolate that only serves readers never renders markdown.

export interface TocEntry {
  id: string;
  text: string;
  depth: number;
}

export interface RenderedMarkdown {
  html: string;
  toc: TocEntry[];
  excerpt: string;
  readingMinutes: number;
}

export type MarkdownProfile = 'post' | 'comment';

/** The renderer refused the input; callers answer 400, never 500. */
export class MarkdownError extends Error {
  override name = 'MarkdownError';
}

/** Rendered, sanitized HTML with its table of contents, excerpt and reading time; MarkdownError on refused input. */
export async function renderMarkdown(source: string, profile: MarkdownProfile = 'post'): Promise<RenderedMarkdown> {
  const { renderMarkdownNow } = await import('./markdown-engine');
  return renderMarkdownNow(source, profile);
}

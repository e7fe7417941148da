// Markdown to safe HTML, run when content is saved (never per read): marked, then an allowlist sanitizer whose
// output is rebuilt as a balanced tree (lib/markdown-engine.ts, lib/balanced-html.ts). The engine runs in the text
// Worker (functions/text/), so the blog Worker, which every reader's request starts, carries none of it.
import { textTools } from './text';

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
  const outcome = await (await textTools()).renderMarkdown(source, profile);
  if (!outcome.ok) throw new MarkdownError(outcome.reason);
  return outcome.rendered;
}

// What the text Worker does for the blog Worker (functions/text/): the write side's text work, each call a plain
// value in and out, so it crosses a service binding as it is (Workers RPC clones arguments and results). An import
// works on a whole file per call: a call per item would spend the request's subrequests, which its writes need.
import type { ParsedFile, PostForFile } from '../front-matter';
import type { MarkdownProfile, RenderedMarkdown } from '../markdown';
import type { DiffPart } from '../revision-diff';

/** A render, or the renderer's refusal of the input (a 400 for the caller, never a 500). */
export type RenderOutcome = { ok: true; rendered: RenderedMarkdown } | { ok: false; reason: string };

/** An HTML fragment's markdown, or why the parser could not take it (the importer reports the item). */
export type ConvertOutcome = { ok: true; markdown: string } | { ok: false; reason: string };

export interface TextTools {
  /** marked, highlight.js and the allowlist sanitizer (lib/markdown-engine.ts). */
  renderMarkdown(source: string, profile: MarkdownProfile): Promise<RenderOutcome>;
  /** renderMarkdown for each source, in order. */
  renderMarkdowns(sources: string[], profile: MarkdownProfile): Promise<RenderOutcome[]>;
  /**
   * turndown over parse5 (lib/importers/html-to-markdown.ts), for each fragment in order; `imageMoves` gives images
   * their copies' addresses (sent once for the whole call).
   */
  htmlToMarkdown(fragments: string[], imageMoves?: Map<string, string>): Promise<ConvertOutcome[]>;
  /** Every `<img src>` of each HTML fragment, each once, in order. */
  imageSources(fragments: string[]): Promise<string[][]>;
  /** jsdiff, line by line (lib/revision-diff.ts). */
  diffText(before: string, after: string): Promise<DiffPart[]>;
  /** A markdown file's YAML front matter read into a post's fields (lib/front-matter.ts). */
  parsePostFile(text: string, path: string): Promise<ParsedFile>;
  /** Posts written as markdown files with YAML front matter, in order. */
  formatPostFiles(posts: PostForFile[]): Promise<string[]>;
}

// The text tools run in this process: what the text Worker serves (functions/text/index.ts), and what Node's CLIs
// and the bench use, which have no service binding (lib/text/index.ts, useLocalTextTools). The blog Worker never
// imports this module, so none of these libraries are in its bundle.
import { diffLines } from 'diff';
import { formatPostFile, parsePostFile } from '../front-matter';
import { htmlToMarkdown, imageSources } from '../importers/html-to-markdown';
import { MarkdownError, type MarkdownProfile } from '../markdown';
import { renderMarkdownNow } from '../markdown-engine';
import type { ConvertOutcome, RenderOutcome, TextTools } from './tools';

function render(source: string, profile: MarkdownProfile): RenderOutcome {
  try {
    return { ok: true, rendered: renderMarkdownNow(source, profile) };
  } catch (error) {
    if (error instanceof MarkdownError) return { ok: false, reason: error.message };
    throw error;
  }
}

function convert(html: string, imageMoves?: Map<string, string>): ConvertOutcome {
  try {
    const moved = imageMoves && ((src: string) => imageMoves.get(src) ?? src);
    return { ok: true, markdown: htmlToMarkdown(html, moved) };
  } catch (error) {
    // Input the parser cannot take: the importer reports the item and goes on.
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export const localTextTools: TextTools = {
  renderMarkdown: async (source, profile) => render(source, profile),
  renderMarkdowns: async (sources, profile) => sources.map((source) => render(source, profile)),
  htmlToMarkdown: async (fragments, imageMoves) => fragments.map((html) => convert(html, imageMoves)),
  imageSources: async (fragments) => fragments.map((html) => imageSources(html)),
  async diffText(before, after) {
    // A browser sends a textarea's lines ending in CRLF; and a last line gaining a newline is not a change of its text.
    return diffLines(before, after, { stripTrailingCr: true, ignoreNewlineAtEof: true }).map((change) => ({
      kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
      text: change.value,
    }));
  },
  async parsePostFile(text, path) {
    return parsePostFile(text, path);
  },
  async formatPostFiles(posts) {
    return posts.map(formatPostFile);
  },
};

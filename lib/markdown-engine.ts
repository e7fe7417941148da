// The markdown engine behind lib/markdown.ts: marked, highlight.js, the allowlist sanitizer and parse5 (which
// rebuilds the sanitizer's output as a balanced tree). Only writes use it, so it runs in the text Worker
// (lib/text/local.ts), not in the blog Worker every reader's request starts.
import { Marked, type Token, type Tokens } from 'marked';
import { markedHighlight } from 'marked-highlight';
import xss, { type IFilterXSSOptions } from 'xss';
import type * as XssModule from 'xss';
import { balanceHtml, TangledHtmlError } from './balanced-html';
import { highlightCode, isHighlighterClass } from './highlight';
import { MarkdownError, type MarkdownProfile, type RenderedMarkdown, type TocEntry } from './markdown';
import { slugify } from './slug';

// marked recurses once per nesting level and overflows the stack on ~1 KB of `>`; refuse deep nesting up front
// with a clear message instead of relying on catching a RangeError from a half-unwound isolate.
const MAX_NESTING = 24;
const DEEP_QUOTE = new RegExp(`^(?:[ \\t]*>){${MAX_NESTING + 1}}`, 'm');
const DEEP_LIST = new RegExp(`^[ \\t]{${MAX_NESTING * 4},}(?:[-*+]|\\d+[.)])[ \\t]`, 'm');

// Emphasis delimiters make marked's inline lexer quadratic per block (measured: 80 KB of `_a` took 4.2 s), so a
// single block may hold only so many; real prose stays far below this.
const MAX_DELIMITERS_PER_BLOCK = 1_000;
const DELIMITER = /[*_~`[\]]/g;

const WORDS_PER_MINUTE = 220;
const EXCERPT_LENGTH = 280;

const headingIds = new WeakMap<Token, string>();

const marked = new Marked(
  // Code is highlighted here, at save time, so reading a post renders nothing; `hljs` marks blocks for the theme.
  markedHighlight({ langPrefix: 'hljs language-', emptyLangClass: 'hljs', highlight: highlightCode }),
  {
    gfm: true,
    async: false,
    renderer: {
      heading(token) {
        const id = headingIds.get(token);
        const inner = this.parser.parseInline(token.tokens);
        return id
          ? `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`
          : `<h${token.depth}>${inner}</h${token.depth}>\n`;
      },
    },
  },
);

// A code block's class: `hljs`, optionally with the fence's language (`hljs language-ts`).
const codeClass = /^hljs(?: language-[a-z0-9_+-]{1,30})?$/i;
const headingIdAttr = /^[a-z0-9-]{1,100}$/;

function sanitizerOptions(profile: MarkdownProfile): IFilterXSSOptions {
  const inline = ['a', 'em', 'strong', 'del', 'code', 'br', 'sup', 'sub', 'kbd'];
  const blocks = ['p', 'blockquote', 'pre', 'ul', 'ol', 'li', 'hr'];
  const headings = profile === 'post' ? ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] : [];
  const tables = ['table', 'thead', 'tbody', 'tr', 'th', 'td'];
  const whiteList: Record<string, string[]> = {};
  for (const tag of [...inline, ...blocks, ...headings, ...tables]) whiteList[tag] = [];
  whiteList.a = ['href', 'title'];
  whiteList.code = ['class'];
  // The highlighter's token spans; their class is checked in onTagAttr.
  whiteList.span = ['class'];
  whiteList.ol = ['start'];
  whiteList.th = ['align'];
  whiteList.td = ['align'];
  for (const h of headings) whiteList[h] = ['id'];
  if (profile === 'post') whiteList.img = ['src', 'alt', 'title'];
  return {
    whiteList,
    stripIgnoreTag: true,
    stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript'],
    allowCommentTag: false,
    onTagAttr(tag, name, value) {
      if (name === 'class' && tag === 'code') return codeClass.test(value) ? `class="${value}"` : '';
      if (name === 'class' && tag === 'span') return isHighlighterClass(value) ? `class="${value}"` : '';
      // Only headings carry ids (the TOC's anchors); an id elsewhere could clobber DOM globals or steal anchors.
      if (name === 'id') return /^h[1-6]$/.test(tag) && headingIdAttr.test(value) ? `id="${value}"` : '';
      // Everything else goes through the library's own attribute filter (it rejects javascript: URLs).
      return undefined;
    },
    onIgnoreTagAttr: () => '',
    // A code block that scrolls sideways must be reachable by keyboard (axe: scrollable-region-focusable).
    onTag(tag, html, info) {
      if (tag === 'pre' && !info.isClosing) return '<pre tabindex="0">';
      return undefined;
    },
  };
}

// xss is CommonJS and assigns its exports in a loop, which static analysis cannot see: take them off the default.
const { FilterXSS } = xss as unknown as typeof XssModule;
const sanitizers: Record<MarkdownProfile, { filter: InstanceType<typeof FilterXSS>; tags: ReadonlySet<string> }> = {
  post: sanitizer('post'),
  comment: sanitizer('comment'),
};

function sanitizer(profile: MarkdownProfile) {
  const options = sanitizerOptions(profile);
  return { filter: new FilterXSS(options), tags: new Set(Object.keys(options.whiteList ?? {})) };
}

let selfTested = false;
/** design.md: some sanitizers fail open in workerd, so prove ours strips a live handler before trusting it. */
function assertSanitizerWorks(): void {
  if (selfTested) return;
  const probe = sanitizers.post.filter.process(
    '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a><script>alert(1)</script>',
  );
  if (/onerror|javascript:|<script/i.test(probe)) {
    throw new Error(`HTML sanitizer self-test failed: ${probe}`);
  }
  selfTested = true;
}

/**
 * `html` filtered to the profile's allowlist, then rebuilt as a balanced fragment (lib/balanced-html.ts): the filter
 * works on a stream of tags and does not promise that what it keeps still nests. TangledHtmlError for markup that
 * would build an outsized tree.
 */
export function sanitizeHtml(html: string, profile: MarkdownProfile = 'post'): string {
  assertSanitizerWorks();
  const { filter, tags } = sanitizers[profile];
  return balanceHtml(filter.process(html), tags);
}

export function renderMarkdownNow(source: string, profile: MarkdownProfile = 'post'): RenderedMarkdown {
  if (DEEP_QUOTE.test(source) || DEEP_LIST.test(source)) {
    throw new MarkdownError(`Markdown is nested more than ${MAX_NESTING} levels deep.`);
  }
  for (const block of source.split(/\n[ \t]*\n/)) {
    if ((block.match(DELIMITER)?.length ?? 0) > MAX_DELIMITERS_PER_BLOCK) {
      throw new MarkdownError(
        `A paragraph has more than ${MAX_DELIMITERS_PER_BLOCK} emphasis, code or link markers; split it up.`,
      );
    }
  }
  let rawHtml: string;
  let text: string;
  let excerpt: string;
  const toc: TocEntry[] = [];
  try {
    const tokens = marked.lexer(source);
    // Before highlighting, which replaces a code block's text with highlighted HTML: the excerpt and the word count
    // read the code as written, not as spans.
    text = plainText(tokens);
    excerpt = excerptOf(tokens);
    // lexer + parser skip the extensions' token walk that marked.parse runs: run it, so code gets highlighted.
    const { walkTokens } = marked.defaults;
    if (walkTokens) marked.walkTokens(tokens, walkTokens);
    if (profile === 'post') assignHeadingIds(tokens, toc);
    rawHtml = marked.parser(tokens);
  } catch (error) {
    throw new MarkdownError(
      `Markdown could not be rendered: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let html: string;
  try {
    html = sanitizeHtml(rawHtml, profile);
  } catch (error) {
    if (!(error instanceof TangledHtmlError)) throw error;
    throw new MarkdownError(error.message);
  }
  return {
    html,
    toc,
    excerpt,
    readingMinutes: Math.max(1, Math.round(countWords(text) / WORDS_PER_MINUTE)),
  };
}

function assignHeadingIds(tokens: Token[], toc: TocEntry[]): void {
  const used = new Map<string, number>();
  for (const token of tokens) {
    if (token.type !== 'heading') continue;
    const heading = token as Tokens.Heading;
    const text = plainText(heading.tokens).trim();
    const base = slugify(text, 60) || 'section';
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const id = seen === 0 ? base : `${base}-${seen}`;
    headingIds.set(token, id);
    if (heading.depth >= 2 && heading.depth <= 3) toc.push({ id, text, depth: heading.depth });
  }
}

/** Visible text of a token tree, without markup; used for excerpts, TOC labels and word counts. */
function plainText(tokens: Token[]): string {
  let out = '';
  for (const token of tokens) {
    if (token.type === 'html' || token.type === 'space') continue;
    if (token.type === 'code') {
      out += `${(token as Tokens.Code).text}\n`;
    } else if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
      out += plainText(token.tokens);
    } else if (token.type === 'list') {
      for (const item of (token as Tokens.List).items) out += `${plainText(item.tokens)}\n`;
    } else if ('text' in token && typeof token.text === 'string') {
      out += token.text;
    }
    if (['paragraph', 'heading', 'blockquote', 'list_item'].includes(token.type)) out += '\n';
  }
  return out;
}

function excerptOf(tokens: Token[]): string {
  const paragraph = tokens.find((t) => t.type === 'paragraph') as Tokens.Paragraph | undefined;
  const text = (paragraph ? plainText(paragraph.tokens) : plainText(tokens)).replace(/\s+/g, ' ').trim();
  return truncateAtWord(decodeEntities(text), EXCERPT_LENGTH);
}

function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => entities[m] ?? m);
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

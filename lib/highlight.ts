// Syntax highlighting for fenced code, run once when markdown is saved: highlight.js core with a handful of
// languages registered (the full bundle is ~900 KB; each grammar here is a few KB). Readers get plain spans.
/// <reference path="./types/highlight-languages.d.ts" />
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, css, diff, go, javascript, json, python, rust, sql, typescript, xml, yaml };
let registered = false;

// On the first save, not at startup: building the grammars is a few ms of every cold isolate's start, and most
// isolates only ever read.
function registerLanguages(): void {
  if (registered) return;
  for (const [name, grammar] of Object.entries(languages)) hljs.registerLanguage(name, grammar);
  registered = true;
}

/**
 * Highlighted HTML for a code block in a registered language (aliases such as `js`, `ts`, `sh`, `html` count), or
 * the code unchanged otherwise, which leaves escaping to marked. No auto-detection: guessing runs every grammar.
 */
export function highlightCode(code: string, language: string): string {
  registerLanguages();
  if (!language || !hljs.getLanguage(language)) return code;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/** Class names highlight.js writes: `hljs-keyword`, and scope suffixes such as `function_` in `hljs-title function_`. */
const HLJS_CLASS = /^(?:hljs-[a-z-]{1,30}|[a-z]{1,20}_{1,3})$/;

/** True when every class in the attribute is one the highlighter emits, and at least one is an `hljs-` class. */
export function isHighlighterClass(value: string): boolean {
  const names = value.trim().split(/\s+/);
  return names.length <= 4 && names.some((n) => n.startsWith('hljs-')) && names.every((n) => HLJS_CLASS.test(n));
}

// Ghost and WordPress store posts as HTML; lembas stores markdown and renders it itself (lib/markdown.ts), so an
// imported post is converted once and then saved like any other. turndown does the converting; its browser build
// (the one Workers bundle) parses strings with the page's DOMParser, which workerd lacks, so the HTML is parsed
// with parse5 into the few DOM nodes turndown walks (./dom.ts) and turndown is handed the parsed element. The same
// path runs in Node for `npm run import` and in the Worker for /admin/import.
/// <reference path="../types/turndown.d.ts" />
import turndownPluginGfm from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';
import { parseBody } from './dom';

/** Elements whose text is not prose: turndown would otherwise keep a script's source as a paragraph. */
const DROPPED = ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'head', 'title'];

let service: TurndownService | undefined;

function converter(): TurndownService {
  service ??= new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    hr: '---',
  })
    .use(turndownPluginGfm.gfm)
    .remove(DROPPED);
  return service;
}

/** Every `<img src>` of an HTML fragment, as written, each once. */
export function imageSources(html: string): string[] {
  const sources = parseBody(html)
    .getElementsByTagName('img')
    .map((image) => image.getAttribute('src')?.trim() ?? '');
  return [...new Set(sources.filter(Boolean))];
}

/**
 * Markdown for an HTML fragment; throws on input the parser cannot take (the caller reports the item).
 * `imageSource` may give an image another address (a copy in R2) before it is converted.
 */
export function htmlToMarkdown(html: string, imageSource?: (src: string) => string): string {
  const body = parseBody(html);
  if (imageSource) {
    for (const image of body.getElementsByTagName('img')) {
      const src = image.getAttribute('src')?.trim();
      if (src) image.setAttribute('src', imageSource(src));
    }
  }
  return converter()
    .turndown(body)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

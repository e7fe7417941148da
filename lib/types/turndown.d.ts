// The slice of turndown that lib/importers/html-to-markdown.ts uses. Its DOM types would need the DOM library,
// which clashes with the Workers types (tsconfig maps `turndown` here, as it does highlight.js).
import type { DominoNode } from './domino';

export interface TurndownOptions {
  headingStyle?: 'setext' | 'atx';
  codeBlockStyle?: 'indented' | 'fenced';
  bulletListMarker?: '-' | '+' | '*';
  emDelimiter?: '_' | '*';
  hr?: string;
}

export default class TurndownService {
  constructor(options?: TurndownOptions);
  use(plugin: (service: TurndownService) => void): this;
  remove(filter: string | string[]): this;
  turndown(input: string | DominoNode): string;
}

// The slice of turndown that lib/importers/html-to-markdown.ts uses. The package ships no types (and DOM ones would
// need the DOM library, which clashes with the Workers types). Declared as ambient modules, not tsconfig `paths`:
// tsx follows `paths` at run time, and would load this file instead of the package in `npm run import`.
declare module 'turndown' {
  /** A DOM node as turndown walks it (lib/importers/dom.ts builds them). */
  export interface TurndownNode {
    readonly nodeName: string;
    readonly nodeType: number;
  }

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
    turndown(input: string | TurndownNode): string;
  }
}

// The GFM plugin (tables, strikethrough, task lists). CommonJS only, so Node's ESM loader gives its exports as the
// default export alone: `import plugin from …; plugin.gfm` works in Node, in workerd and under vitest.
declare module '@joplin/turndown-plugin-gfm' {
  import type TurndownService from 'turndown';

  const plugin: { gfm(service: TurndownService): void };
  export default plugin;
}

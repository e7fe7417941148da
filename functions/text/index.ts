// The text Worker: markdown rendering, HTML to markdown, YAML front matter and line diffs, which only writes need.
// The blog Worker calls it over a service binding (wrangler.toml [[services]] TEXT, entrypoint TextService), so the
// Worker every reader's request starts carries none of these libraries: marked, highlight.js, the sanitizer, parse5,
// turndown, yaml and jsdiff are about a third of what it would otherwise upload and compile.
import { WorkerEntrypoint } from 'cloudflare:workers';
import { localTextTools } from '../../lib/text/local';
import type { TextTools } from '../../lib/text/tools';

export class TextService extends WorkerEntrypoint {}
// RPC calls methods found on the class's prototype (never an instance's own fields): the tools go there as they are.
Object.assign(TextService.prototype, localTextTools);
// Declaration merging: TextService has the methods assigned above.
export interface TextService extends TextTools {}

// Nothing is served over HTTP: the blog Worker is its only caller.
export default {
  fetch: () => new Response('Not Found', { status: 404 }),
} satisfies ExportedHandler;

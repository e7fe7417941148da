// The text Worker: markdown rendering, HTML to markdown, YAML front matter and line diffs, which only writes need.
// The blog Worker calls it over a service binding (wrangler.toml [[services]] TEXT, entrypoint TextService), so the
// Worker every reader's request starts carries none of these libraries: marked, highlight.js, the sanitizer, parse5,
// turndown, yaml and jsdiff are about a third of what it would otherwise upload and compile.
import { WorkerEntrypoint } from 'cloudflare:workers';
import { localTextTools } from '../../lib/text/local';
import type { TextTools } from '../../lib/text/tools';

// RPC calls only methods on the class's prototype, so each one is written out.
export class TextService extends WorkerEntrypoint implements TextTools {
  renderMarkdown(...args: Parameters<TextTools['renderMarkdown']>) {
    return localTextTools.renderMarkdown(...args);
  }
  renderMarkdowns(...args: Parameters<TextTools['renderMarkdowns']>) {
    return localTextTools.renderMarkdowns(...args);
  }
  htmlToMarkdown(...args: Parameters<TextTools['htmlToMarkdown']>) {
    return localTextTools.htmlToMarkdown(...args);
  }
  imageSources(...args: Parameters<TextTools['imageSources']>) {
    return localTextTools.imageSources(...args);
  }
  diffText(...args: Parameters<TextTools['diffText']>) {
    return localTextTools.diffText(...args);
  }
  parsePostFile(...args: Parameters<TextTools['parsePostFile']>) {
    return localTextTools.parsePostFile(...args);
  }
  formatPostFiles(...args: Parameters<TextTools['formatPostFiles']>) {
    return localTextTools.formatPostFiles(...args);
  }
}

// Nothing is served over HTTP: the blog Worker is its only caller.
export default {
  fetch: () => new Response('Not Found', { status: 404 }),
} satisfies ExportedHandler;

import { describe, expect, it } from 'vitest';
import { MarkdownError, renderMarkdown } from '../../lib/markdown';
import { sanitizeHtml } from '../../lib/markdown-engine';

describe('renderMarkdown', () => {
  it('renders headings with ids and collects a table of contents', async () => {
    const result = await renderMarkdown('# Title\n\nIntro text.\n\n## Setup\n\n### Details\n\n## Setup');
    expect(result.html).toContain('<h2 id="setup">Setup</h2>');
    expect(result.html).toContain('<h2 id="setup-1">Setup</h2>');
    expect(result.toc.map((e) => e.id)).toEqual(['setup', 'details', 'setup-1']);
    expect(result.excerpt).toBe('Intro text.');
  });

  it.each([
    ['<img src=x onerror=alert(1)>', 'onerror'],
    ['<script>alert(1)</script>', '<script'],
    ['[x](javascript:alert(1))', 'javascript:'],
    ['<a href="javascript:alert(1)">x</a>', 'javascript:'],
    ['<iframe src="https://evil.example"></iframe>', '<iframe'],
    ['<svg onload=alert(1)>', 'onload'],
    ['<p style="background:url(javascript:alert(1))">x</p>', 'style='],
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', 'onerror'],
  ])('strips %s', async (input, forbidden) => {
    expect((await renderMarkdown(input)).html.toLowerCase()).not.toContain(forbidden);
  });

  it('keeps ids on headings only (no DOM clobbering through links or paragraphs)', async () => {
    const { html } = await renderMarkdown('<a href="#x" id="location">x</a> <p id="cookie">y</p>');
    expect(html).not.toContain('id=');
  });

  it('keeps code language classes and safe links', async () => {
    const { html } = await renderMarkdown('```ts\nconst a = 1;\n```\n\n[docs](https://hono.dev "Hono")');
    expect(html).toContain('<code class="hljs language-ts">');
    expect(html).toContain('<a href="https://hono.dev" title="Hono">docs</a>');
  });

  it('refuses input nested deeply enough to overflow marked with a MarkdownError', async () => {
    await expect(renderMarkdown('>'.repeat(1000))).rejects.toThrow(MarkdownError);
  });

  it('refuses a paragraph with thousands of emphasis markers (quadratic in marked)', async () => {
    await expect(renderMarkdown('_a'.repeat(40_000))).rejects.toThrow(MarkdownError);
  });

  it('drops headings and images from comments', async () => {
    const { html } = await renderMarkdown('## Big\n\n![x](https://img.example/x.png)', 'comment');
    expect(html).not.toContain('<h2');
    expect(html).not.toContain('<img');
  });

  it('estimates reading time from the word count', async () => {
    expect((await renderMarkdown('word '.repeat(1100))).readingMinutes).toBe(5);
  });
});

describe('code highlighting (at save time)', () => {
  it('highlights registered languages and their aliases into hljs spans', async () => {
    const { html } = await renderMarkdown('```js\nconst a = "x" < 2;\n```\n\n```sql\nSELECT 1;\n```');
    expect(html).toContain('<pre tabindex="0"><code class="hljs language-js"><span class="hljs-keyword">const</span>');
    // Quotes are text, written as themselves; `<` stays escaped.
    expect(html).toContain('<span class="hljs-string">"x"</span> &lt; <span class="hljs-number">2</span>');
    expect(html).toContain('<span class="hljs-keyword">SELECT</span>');
  });

  it('reads code as written, not as highlighted spans, for the excerpt of a post without a paragraph', async () => {
    const { html, excerpt } = await renderMarkdown('# Snippet\n\n```ts\nconst a = 1 < 2;\n```');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(excerpt).toBe('Snippet const a = 1 < 2;');
  });

  it('keeps scoped class names such as "hljs-title function_"', async () => {
    const { html } = await renderMarkdown('```ts\nfunction hello() {}\n```');
    expect(html).toContain('<span class="hljs-title function_">hello</span>');
  });

  it('leaves unknown and missing languages plain but escaped', async () => {
    const { html } = await renderMarkdown('```brainfart\n<b>&</b>\n```\n\n```\nplain <i>\n```');
    expect(html).toContain('<code class="hljs language-brainfart">&lt;b&gt;&amp;&lt;/b&gt;');
    expect(html).toContain('<code class="hljs">plain &lt;i&gt;');
    expect(html).not.toContain('<span');
  });

  it('strips classes the highlighter would never write, and spans carrying anything else', async () => {
    const { html } = await renderMarkdown(
      '<span class="evil hljs-x">a</span><span class="hljs-keyword" style="color:red" onclick="x()">b</span>' +
        '<code class="language-js evil">c</code>',
    );
    expect(html).not.toContain('evil');
    expect(html).not.toContain('style=');
    expect(html).not.toContain('onclick');
    expect(html).toContain('<span class="hljs-keyword">b</span>');
  });

  it('cannot be used to smuggle markup through the language name', async () => {
    const { html } = await renderMarkdown('```js"><script>alert(1)</script>\nx\n```');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/class="[^"]*[<>]/);
  });
});

describe('sanitizeHtml', () => {
  it('passes its own start-up self-test in workerd', () => {
    expect(sanitizeHtml('<img src=x onerror=alert(1)>')).not.toContain('onerror');
  });
});

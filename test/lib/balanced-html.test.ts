// The sanitizer's output is a balanced fragment whatever goes in: each of a corpus of broken and hostile markup
// stays inside the element a page puts it in, still executes nothing, and benign markup renders as before.
import { describe, expect, it } from 'vitest';
import { balanceHtml } from '../../lib/balanced-html';
import { MarkdownError, renderMarkdown, type MarkdownProfile } from '../../lib/markdown';
import { sanitizeHtml } from '../../lib/markdown-engine';
import { boxProblem } from '../fixtures/html-box';
import { benignMarkup, brokenMarkup } from '../fixtures/markup-corpus';

const profiles: MarkdownProfile[] = ['post', 'comment'];
const EXECUTABLE = /<script|<style|<svg|<math|<iframe|<object|<embed|<template|\son\w+=|javascript:|data:text/i;

describe.each(profiles)('rendering broken and hostile markup (%s profile)', (profile) => {
  it.each(brokenMarkup)('%j stays inside its box and executes nothing', async (markdown) => {
    const { html } = await renderMarkdown(markdown, profile);
    expect(boxProblem(html)).toBeNull();
    expect(html).not.toMatch(EXECUTABLE);
    expect(html).not.toContain('<!--');
    // Sanitizing the result again changes nothing: what is stored is what the rules allow, as written.
    expect(sanitizeHtml(html, profile)).toBe(html);
  });
});

describe('rendering benign markup', () => {
  it.each(benignMarkup)('renders $markdown as before ($profile)', async ({ profile, markdown, html }) => {
    expect((await renderMarkdown(markdown, profile)).html).toBe(html);
  });
});

describe('balanceHtml on its own (the second line behind the sanitizer)', () => {
  it('drops raw-text and foreign elements with their content, unwraps other unknown ones, and drops comments', () => {
    const html = '<script>a</script><style>b</style><svg><g>c</g></svg><div><p>kept</p></div><!--d--><textarea>e';
    expect(balanceHtml(html, new Set(['p']))).toBe('<p>kept</p>');
  });
});

describe('the balanced fragment', () => {
  it("closes the table the reader's comment of issue 23 left open", async () => {
    const { html } = await renderMarkdown('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', 'comment');
    expect(html).toContain('<table>\n</table>');
    expect(html).not.toContain('<img');
  });

  it('writes no HTML comment, so no viewer slot can be forged in a body', async () => {
    for (const markdown of ['<!--viewer:nav-->', '<!viewer:nav>', '<!-- x -->']) {
      expect((await renderMarkdown(markdown, 'comment')).html).not.toContain('<!--');
    }
  });

  it('keeps a list item out of a list as its text, and a heading inside a heading as its text', async () => {
    expect((await renderMarkdown('<li>stray</li>', 'comment')).html).toBe('stray');
    expect((await renderMarkdown('<h2><li><h3>x</h3></li></h2>')).html).toBe('<h2>x</h2>');
  });

  it('keeps the newline a parser drops after <pre>', async () => {
    const { html } = await renderMarkdown('<pre>\n\nkept</pre>');
    expect(html).toBe('<pre tabindex="0">\n\nkept</pre>');
    expect(boxProblem(html)).toBeNull();
  });

  it('handles nesting thousands of levels deep without overflowing the stack', async () => {
    const { html } = await renderMarkdown(`${'<span>'.repeat(30_000)}deep`, 'comment');
    expect(html.endsWith(`deep${'</span>'.repeat(30_000)}</p>\n`)).toBe(true);
    expect(boxProblem(html)).toBeNull();
  });

  it('refuses misnesting that would make the tree builder multiply elements, with a MarkdownError', async () => {
    // Each paragraph reopens every formatting element still open, so the tree would grow as open tags x paragraphs.
    const open = Array.from({ length: 300 }, (_, i) => `<code class="hljs language-x${i}">`).join('');
    await expect(renderMarkdown(`${open}${'</p><p>x'.repeat(300)}`)).rejects.toThrow(MarkdownError);
    // A few unclosed formatting tags are reopened as browsers do, and allowed.
    const { html } = await renderMarkdown(`<em><strong>open\n\n${'para\n\n'.repeat(100)}`);
    expect(boxProblem(html)).toBeNull();
  });
});

// HTML to markdown as the importers convert it: turndown and its GFM plugin walking lib/importers/dom.ts's nodes,
// built from parse5's tree. Each case leans on a part of the DOM they read (names, attributes, siblings, text,
// removal of blank nodes, a table's rows and cells, outerHTML, a checkbox's state).
import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from '../../lib/importers/html-to-markdown';
import { parseBody } from '../../lib/importers/dom';

describe('htmlToMarkdown', () => {
  it.each([
    [
      'inline formatting, links and strikethrough',
      '<h2>Title</h2><p>Hello <b>bold</b> <i>it</i> <code>x &lt; y</code> <a href="/q" title="t">link</a> <del>gone</del></p>',
      '## Title\n\nHello **bold** _it_ `x < y` [link](/q "t") ~~gone~~',
    ],
    [
      'an ordered list with a start and a nested list',
      '<ol start="3"><li>three</li><li>four<ul><li>nested</li></ul></li></ol>',
      '3.  three\n4.  four\n    -   nested',
    ],
    [
      'a fenced code block keeps its language and its text',
      '<pre><code class="language-js">let a = 1;\n  b &lt; 2</code></pre>',
      '```js\nlet a = 1;\n  b < 2\n```',
    ],
    [
      'a simple table, with its columns aligned',
      '<table><thead><tr><th align="right">n</th><th style="text-align: center">name</th></tr></thead><tbody><tr><td>1</td><td>one</td></tr></tbody></table>',
      '| n   | name |\n| ---: | :---: |\n| 1   | one |',
    ],
    [
      'a table markdown cannot hold stays HTML',
      '<table><caption>Cap</caption><tr><td><ul><li>a list in a cell</li></ul></td><td>b</td></tr></table>',
      '<div class="joplin-table-wrapper"><table><caption>Cap</caption><tbody><tr><td><ul><li>a list in a cell</li></ul></td><td>b</td></tr></tbody></table></div>',
    ],
    [
      'task list items',
      '<ul><li><input type="checkbox" checked> done</li><li><input type="checkbox"> todo</li></ul>',
      '-   [x]  done\n-   [ ]  todo',
    ],
    [
      'whitespace collapsed, comments and scripts dropped, images kept',
      '<p>  lots   of\n spaces </p><!-- a comment --><script>alert(1)</script><p><img src="a.png" alt="A" title="T"></p>',
      'lots of spaces\n\n![A](a.png "T")',
    ],
  ])('converts %s', (_, html, markdown) => {
    expect(htmlToMarkdown(html)).toBe(markdown);
  });

  it('takes the whole input as the body: a stray closing tag drops nothing after it', () => {
    expect(htmlToMarkdown('<p>one</p></div></body><p>two</p>')).toBe('one\n\ntwo');
  });
});

describe('parseBody', () => {
  it('names HTML elements in upper case and keeps SVG names as they are, as a browser does', () => {
    const body = parseBody('<p>x</p><svg><foreignObject>y</foreignObject></svg>');
    expect(body.children.map((element) => element.nodeName)).toEqual(['P', 'svg']);
    expect(body.children[1]!.children[0]!.nodeName).toBe('foreignObject');
  });

  it('links siblings and parents, and removing a node unlinks it', () => {
    const body = parseBody('<p>a</p>text<p>b</p>');
    const [first, text, last] = body.childNodes;
    expect(first!.nextSibling).toBe(text);
    expect(last!.previousSibling).toBe(text);
    expect(text!.textContent).toBe('text');
    body.removeChild(text!);
    expect(first!.nextSibling).toBe(last);
    expect(text!.parentNode).toBeNull();
    expect(body.textContent).toBe('ab');
  });

  it('clones deeply without sharing nodes', () => {
    const body = parseBody('<p>a<b>b</b></p>');
    const copy = body.cloneNode(true);
    expect(copy.textContent).toBe('ab');
    expect(copy.childNodes[0]).not.toBe(body.childNodes[0]);
    expect(copy.childNodes[0]!.parentNode).toBe(copy);
  });
});

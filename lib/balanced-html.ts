// Sanitized HTML rebuilt as a tree, so it is a balanced fragment that stays inside whatever element a page puts it
// in. The sanitizer (xss) filters tags and attributes as a stream: it can keep an opening tag and drop its closing
// partner (`<table>` left open swallowed a post page's comment list), or keep a stray `</li>` that closes the
// page's own list item. Parsing its output with parse5 (the HTML standard's tree builder, so the same tree a
// browser builds) and serializing that tree writes every element closed, in the right place.
import { defaultTreeAdapter, html, parseFragment, serialize, type DefaultTreeAdapterMap } from 'parse5';

type ChildNode = DefaultTreeAdapterMap['childNode'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Element = DefaultTreeAdapterMap['element'];

/** The input would make the tree builder do far more work than its size warrants; callers refuse it. */
export class TangledHtmlError extends Error {
  override name = 'TangledHtmlError';
}

// Elements whose content is not markup (raw text, or a whole other document) go with everything in them; any other
// element outside the allowlist is unwrapped, its content kept. The sanitizer already removed both kinds: this is
// the second line, and what keeps the serializer from writing an element's text unescaped.
// prettier-ignore
const DROPPED_WITH_CONTENT = new Set([
  'script', 'style', 'template', 'iframe', 'noembed', 'noframes', 'noscript', 'xmp', 'plaintext', 'textarea',
  'title', 'object', 'embed', 'svg', 'math', 'select',
]);
const LIST_PARENTS = new Set(['ul', 'ol']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

// Formatting tags left open (`<code class=a><code class=b>…</p><p>…`) are reopened by the tree builder in every
// paragraph after them, as browsers do: elements grow as open tags x paragraphs, and the output with them. A balanced
// input needs one element per two `<` (a start and an end tag), plus a few the parser implies (tbody, a stray
// `</p>`'s paragraph); past four times that, the input is refused rather than built.
const ELEMENTS_PER_ANGLE_BRACKET = 2;
const ELEMENT_ALLOWANCE = 64;

const container = defaultTreeAdapter.createElement('div', html.NS.HTML, []);

/**
 * `markup` (already sanitized) as a balanced HTML fragment of `allowedTags` only: the tree an HTML parser builds
 * from it inside a `<div>`, without HTML comments, and written so that parsing it again, inside any element a page
 * puts it in, builds the same tree. Throws TangledHtmlError for input that would build an outsized tree.
 */
export function balanceHtml(markup: string, allowedTags: ReadonlySet<string>): string {
  const fragment = parseFragment(container, markup, { treeAdapter: boundedTreeAdapter(markup) });
  // Iterative, like parse5's own parser and serializer: nesting depth is the writer's to choose.
  const pending: Pending[] = [{ parent: fragment, inHeading: false }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    next.parent.childNodes = keptChildren(next, allowedTags, pending);
  }
  return serialize(fragment);
}

interface Pending {
  parent: ParentNode;
  inHeading: boolean;
}

function keptChildren(
  { parent, inHeading }: Pending,
  allowedTags: ReadonlySet<string>,
  pending: Pending[],
): ChildNode[] {
  const kept: ChildNode[] = [];
  // An unwrapped element's children take its place: they are walked as the parent's own.
  const walks: { nodes: ChildNode[]; next: number }[] = [{ nodes: parent.childNodes, next: 0 }];
  while (walks.length > 0) {
    const walk = walks[walks.length - 1]!;
    const node = walk.nodes[walk.next++];
    if (!node) {
      walks.pop();
      continue;
    }
    if (defaultTreeAdapter.isTextNode(node)) {
      node.parentNode = parent;
      kept.push(node);
    } else if (defaultTreeAdapter.isElementNode(node)) {
      const verdict = judge(node, parent, inHeading, allowedTags);
      if (verdict === 'keep') {
        node.parentNode = parent;
        kept.push(node);
        pending.push({ parent: node, inHeading: inHeading || HEADINGS.has(node.tagName) });
        if (node.tagName === 'pre') keepLeadingNewline(node);
      } else if (verdict === 'unwrap') {
        walks.push({ nodes: node.childNodes, next: 0 });
      }
    }
    // Comments go: the page's own `<!--viewer:…-->` slots are comments, and nothing else needs them.
  }
  return kept;
}

/**
 * Whether an element stays, goes with its content, or gives way to its content. Two shapes a parser can build
 * (misnested formatting tags make it move elements around) would be parsed differently when read again: an `<li>`
 * outside a list closes the nearest open list item, the page's own included; a heading inside a heading closes the
 * outer one. Those give way to their content.
 */
function judge(
  element: Element,
  parent: ParentNode,
  inHeading: boolean,
  allowedTags: ReadonlySet<string>,
): 'keep' | 'unwrap' | 'drop' {
  const tag = element.tagName;
  if (element.namespaceURI !== html.NS.HTML || DROPPED_WITH_CONTENT.has(tag)) return 'drop';
  if (!allowedTags.has(tag)) return 'unwrap';
  if (tag === 'li' && !('tagName' in parent && LIST_PARENTS.has(parent.tagName))) return 'unwrap';
  if (inHeading && HEADINGS.has(tag)) return 'unwrap';
  return 'keep';
}

// A parser drops the newline right after `<pre>`, so a text that starts with one needs a second to keep it.
function keepLeadingNewline(pre: Element): void {
  const first = pre.childNodes[0];
  if (first && defaultTreeAdapter.isTextNode(first) && first.value.startsWith('\n')) first.value = `\n${first.value}`;
}

function boundedTreeAdapter(markup: string): typeof defaultTreeAdapter {
  let budget = ELEMENT_ALLOWANCE + ELEMENTS_PER_ANGLE_BRACKET * countAngleBrackets(markup);
  return {
    ...defaultTreeAdapter,
    createElement(tagName, namespaceURI, attrs) {
      if (--budget < 0) {
        throw new TangledHtmlError(
          'The HTML leaves so many formatting tags open that every paragraph would repeat them; close them.',
        );
      }
      return defaultTreeAdapter.createElement(tagName, namespaceURI, attrs);
    },
  };
}

function countAngleBrackets(markup: string): number {
  let count = 0;
  for (let at = markup.indexOf('<'); at !== -1; at = markup.indexOf('<', at + 1)) count += 1;
  return count;
}

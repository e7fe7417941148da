// The few DOM nodes turndown walks, built from the tree parse5 parses. turndown converts a DOM tree; in a Worker
// there is no DOM, and the one turndown brings for Node (domino) was 64 KiB of the gzipped Worker, more than a fifth
// of its whole budget, while parse5 (the HTML standard's parser) is in the bundle already for the sanitizer
// (lib/balanced-html.ts). These classes give turndown and its GFM plugin exactly the members they read and write:
// names, types, tree links, attributes, text, removeChild, cloneNode, outerHTML, a table's rows, a checkbox's state.
import { html, parse, serializeOuter, type DefaultTreeAdapterMap } from 'parse5';

type Parse5Node = DefaultTreeAdapterMap['node'];
type Parse5Element = DefaultTreeAdapterMap['element'];

export abstract class DomNode {
  parentNode: DomElement | null = null;
  abstract readonly nodeType: number;
  abstract readonly nodeName: string;
  abstract get textContent(): string;
  abstract cloneNode(deep?: boolean): DomNode;

  get nextSibling(): DomNode | null {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) + 1] ?? null) : null;
  }

  get previousSibling(): DomNode | null {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) - 1] ?? null) : null;
  }
}

/** A text node (3) or a comment (8): turndown reads and rewrites `data`, and skips comments. */
export class DomCharacterData extends DomNode {
  constructor(
    readonly nodeType: 3 | 8,
    public data: string,
  ) {
    super();
  }
  get nodeName(): string {
    return this.nodeType === 3 ? '#text' : '#comment';
  }
  get nodeValue(): string {
    return this.data;
  }
  get textContent(): string {
    return this.nodeType === 3 ? this.data : '';
  }
  cloneNode(): DomCharacterData {
    return new DomCharacterData(this.nodeType, this.data);
  }
}

export class DomElement extends DomNode {
  readonly nodeType = 1;
  readonly nodeName: string;
  childNodes: DomNode[] = [];

  /** `source` is the parsed element, kept to serialize a part turndown leaves as HTML (a table too complex for GFM). */
  constructor(
    readonly tagName: string,
    private readonly attributes: Map<string, string>,
    private readonly source: Parse5Element,
  ) {
    super();
    // As in a browser: HTML elements' names are upper case, SVG's and MathML's keep theirs (`svg`, `foreignObject`).
    this.nodeName = source.namespaceURI === html.NS.HTML ? tagName.toUpperCase() : tagName;
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }

  /** Sets it here and on the parsed element, so a part kept as HTML (outerHTML) says the same. */
  setAttribute(name: string, value: string): void {
    const key = name.toLowerCase();
    this.attributes.set(key, value);
    const attribute = this.source.attrs.find((attr) => attr.name === key);
    if (attribute) attribute.value = value;
    else this.source.attrs.push({ name: key, value });
  }

  get className(): string {
    return this.getAttribute('class') ?? '';
  }

  get classList(): { contains(name: string): boolean } {
    const names = this.className.split(/\s+/);
    return { contains: (name) => names.includes(name) };
  }

  /** Only what the GFM plugin asks of a cell's style: its `text-align`. */
  get style(): { textAlign: string } {
    const match = /(?:^|;)\s*text-align\s*:\s*([a-z-]+)/i.exec(this.getAttribute('style') ?? '');
    return { textAlign: match?.[1] ?? '' };
  }

  /** An `<input>`'s type and state, which the GFM plugin reads to write a task list item's `[x]`. */
  get type(): string {
    return (this.getAttribute('type') ?? (this.nodeName === 'INPUT' ? 'text' : '')).toLowerCase();
  }

  get checked(): boolean {
    return this.attributes.has('checked');
  }

  get firstChild(): DomNode | null {
    return this.childNodes[0] ?? null;
  }

  get lastChild(): DomNode | null {
    return this.childNodes.at(-1) ?? null;
  }

  get children(): DomElement[] {
    return this.childNodes.filter((node): node is DomElement => node instanceof DomElement);
  }

  get lastElementChild(): DomElement | null {
    return this.children.at(-1) ?? null;
  }

  get textContent(): string {
    return this.childNodes.map((node) => node.textContent).join('');
  }

  get outerHTML(): string {
    return serializeOuter(this.source);
  }

  /** A table's rows: its own `<tr>`s and those of its head, bodies and foot (not those of a table inside it). */
  get rows(): DomElement[] {
    return this.children.flatMap((child) =>
      child.nodeName === 'TR'
        ? [child]
        : ['THEAD', 'TBODY', 'TFOOT'].includes(child.nodeName)
          ? child.children.filter((row) => row.nodeName === 'TR')
          : [],
    );
  }

  getElementsByTagName(name: string): DomElement[] {
    const wanted = name.toUpperCase();
    const found: DomElement[] = [];
    const visit = (element: DomElement) => {
      for (const child of element.children) {
        if (wanted === '*' || child.nodeName === wanted) found.push(child);
        visit(child);
      }
    };
    visit(this);
    return found;
  }

  /** Tag-name selectors only (the GFM plugin asks for a table's `caption`). */
  querySelector(tagName: string): DomElement | null {
    return this.getElementsByTagName(tagName)[0] ?? null;
  }

  removeChild(child: DomNode): DomNode {
    const index = this.childNodes.indexOf(child);
    if (index < 0) throw new Error('removeChild: not a child of this element');
    this.childNodes.splice(index, 1);
    child.parentNode = null;
    return child;
  }

  appendChild(child: DomNode): DomNode {
    child.parentNode?.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }

  cloneNode(deep = false): DomElement {
    const copy = new DomElement(this.tagName, new Map(this.attributes), this.source);
    if (deep) for (const child of this.childNodes) copy.appendChild(child.cloneNode(true));
    return copy;
  }
}

function fromParse5(node: Parse5Element): DomElement {
  const element = new DomElement(node.tagName, new Map(node.attrs.map(({ name, value }) => [name, value])), node);
  for (const child of node.childNodes as Parse5Node[]) {
    if (child.nodeName === '#text') element.appendChild(new DomCharacterData(3, (child as { value: string }).value));
    else if (child.nodeName === '#comment')
      element.appendChild(new DomCharacterData(8, (child as { data: string }).data));
    else if ('tagName' in child) element.appendChild(fromParse5(child));
  }
  return element;
}

/** The `<body>` an HTML parser builds for `html`, as turndown's DOM. */
export function parseBody(html: string): DomElement {
  // The fragment is the whole body: a stray `</div>` in it cannot close a wrapper early and drop the rest.
  const document = parse(`<!DOCTYPE html><html><head></head><body>${html}`);
  const root = document.childNodes.find((node): node is Parse5Element => node.nodeName === 'html');
  const body = root?.childNodes.find((node): node is Parse5Element => node.nodeName === 'body');
  if (!body) throw new Error('the HTML parser built no body');
  return fromParse5(body);
}

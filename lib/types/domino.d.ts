// The slice of domino (turndown's own HTML parser) that lib/importers/html-to-markdown.ts uses; the package's
// types declare a module named `domino`, not the scoped name it is published under.
export interface DominoNode {
  readonly nodeName: string;
}

export interface DominoDocument {
  readonly body: DominoNode;
}

export function createDocument(html?: string, force?: boolean): DominoDocument;

// The difference between a revision and the current text, line by line, as parts a view renders with <del> and
// <ins>. jsdiff runs in the text Worker (lib/text/local.ts): only the admin's revisions view needs it.
import { textTools } from './text';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** What changes `before` into `after`: removed parts come before the parts added in their place. */
export async function diffText(before: string, after: string): Promise<DiffPart[]> {
  return (await textTools()).diffText(before, after);
}

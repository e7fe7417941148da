// The difference between a revision and the current text, line by line (jsdiff), as parts a view renders with
// <del> and <ins>. jsdiff loads on first use: only the admin's revisions view needs it, not a cold reader's isolate.

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** What changes `before` into `after`: removed parts come before the parts added in their place. */
export async function diffText(before: string, after: string): Promise<DiffPart[]> {
  const { diffLines } = await import('diff');
  // A browser sends a textarea's lines ending in CRLF; and a last line gaining a newline is not a change of its text.
  return diffLines(before, after, { stripTrailingCr: true, ignoreNewlineAtEof: true }).map((change) => ({
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  }));
}

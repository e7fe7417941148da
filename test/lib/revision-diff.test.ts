import { describe, expect, it } from 'vitest';
import { diffText } from '../../lib/revision-diff';

describe('diffText', () => {
  it('names removed lines before the lines added in their place, and keeps the rest', async () => {
    expect(await diffText('a\nb\nc\n', 'a\nB\nc\n')).toEqual([
      { kind: 'same', text: 'a\n' },
      { kind: 'removed', text: 'b\n' },
      { kind: 'added', text: 'B\n' },
      { kind: 'same', text: 'c\n' },
    ]);
  });

  it('reads CRLF (a browser form) as LF, and a last line that gains a newline as unchanged', async () => {
    expect(await diffText('First.', 'First.\r\n\r\nMore.')).toEqual([
      { kind: 'same', text: 'First.\n' },
      { kind: 'added', text: '\nMore.' },
    ]);
  });
});

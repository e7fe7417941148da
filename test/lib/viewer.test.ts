import { describe, expect, it } from 'vitest';
import { buildThread } from '../../lib/comments';
import type { CommentRow } from '../../lib/db/comments';
import { safeNextPath } from '../../lib/auth/web-session';
import {
  decodeCounts,
  encodeCounts,
  fillViewerSlots,
  hasViewerSlots,
  markViewerSlots,
  viewerSlot,
} from '../../lib/viewer';

describe('viewer slots', () => {
  it('fills each slot with what the filler returns, passing the argument, and empties unknown ones', () => {
    const html = `<nav>${viewerSlot('nav')}</nav>${viewerSlot('reply-form', '42')}<!--viewer:unknown-->`;
    expect(hasViewerSlots(html)).toBe(true);
    const filled = fillViewerSlots(html, (name, arg) => (name === 'unknown' ? '' : `[${name}${arg ? `:${arg}` : ''}]`));
    expect(filled).toBe('<nav>[nav]</nav>[reply-form:42]');
    expect(hasViewerSlots(filled)).toBe(false);
  });

  it('marks the visitor fill of each slot, so a signed-in fill replaces it and nothing else', () => {
    const html = `<nav>${viewerSlot('nav')}</nav><p>body</p>${viewerSlot('reply-form', '7')}${viewerSlot('reactions', 'like=2')}`;
    const shared = markViewerSlots(html, (name, arg) =>
      name === 'reply-form' ? '' : `<a>visitor ${name} ${arg ?? ''}</a>`,
    );
    expect(shared).toBe(
      '<nav><!--viewer+:nav--><a>visitor nav </a><!--/viewer--></nav><p>body</p>' +
        '<!--viewer+:reply-form:7--><!--/viewer--><!--viewer+:reactions:like=2--><a>visitor reactions like=2</a><!--/viewer-->',
    );
    expect(hasViewerSlots(shared)).toBe(true);
    const personal = fillViewerSlots(shared, (name, arg) => `[${name}${arg ? `:${arg}` : ''}]`);
    expect(personal).toBe('<nav>[nav]</nav><p>body</p>[reply-form:7][reactions:like=2]');
    // A page mixing both forms (a cached page is never mixed, but the filler must not care).
    expect(fillViewerSlots(`${shared}${viewerSlot('comment-form')}`, (name) => `[${name}]`)).toBe(
      '<nav>[nav]</nav><p>body</p>[reply-form][reactions][comment-form]',
    );
  });

  it('round-trips reaction counts through the slot argument and ignores junk', () => {
    const counts = { like: 3, insightful: 0, celebrate: 12 };
    expect(decodeCounts(encodeCounts(counts))).toEqual(counts);
    expect(decodeCounts('like=1,bad,x=-2,celebrate=')).toEqual({ like: 1 });
    expect(decodeCounts(undefined)).toEqual({});
  });
});

describe('safeNextPath', () => {
  it('keeps local paths and sends everything else home', () => {
    expect(safeNextPath('/posts/a?x=1#c')).toBe('/posts/a?x=1#c');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '/a b', 7]) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });
});

function row(overrides: Partial<CommentRow> & { id: number }): CommentRow {
  return {
    postId: 1,
    parentId: null,
    author: { id: 9, username: 'ada', displayName: 'Ada' },
    authorDisabled: false,
    markdown: 'x',
    html: '<p>x</p>',
    status: 'published',
    createdAt: '2026-12-01T00:00:00.000Z',
    editedAt: null,
    ...overrides,
  };
}

describe('buildThread', () => {
  it('nests replies, drops hidden, deleted and disabled users’ comments, and keeps a placeholder for replies', () => {
    const thread = buildThread([
      row({ id: 1 }),
      row({ id: 2, status: 'hidden' }),
      row({ id: 3, status: 'deleted' }),
      row({ id: 4, authorDisabled: true }),
      row({ id: 5, parentId: 1 }),
      row({ id: 6, parentId: 3 }),
      row({ id: 7, parentId: 1, status: 'hidden' }),
      row({ id: 8, parentId: 4, authorDisabled: true }),
    ]);
    expect(thread.map((c) => [c.id, c.status, c.replies.map((r) => r.id)])).toEqual([
      [1, 'published', [5]],
      [3, 'deleted', [6]],
    ]);
    expect(thread[1]).toMatchObject({ author: null, html: '' });
  });
});

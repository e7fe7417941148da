// The page-personalisation contract: cached pages are one shared document for every visitor, carrying fixed
// placeholder comments where viewer-specific parts go (who is signed in, forms with a CSRF token, the viewer's own
// reactions). Pure: no I/O here.
//
// A page is cached as an anonymous visitor sees it: each slot is filled for a visitor and kept between markers,
// `<!--viewer+:name:argument-->what a visitor sees<!--/viewer-->`, so a visitor's hit is sent as stored, untouched.
// For a signed-in viewer the marked parts are replaced. Pages that are not cached carry bare slots, filled per
// request.

/** The slot names a page may carry. An argument (a comment id, reaction counts) may follow a colon. */
export type ViewerSlotName = 'nav' | 'comment-form' | 'reply-form' | 'reactions' | 'subscribe';

// A marked part (already filled for visitors) with its content, or a bare slot. The content never holds the end
// marker: every fill escapes `<` in text.
const SLOT =
  /<!--viewer(?:\+:([a-z-]+)(?::([A-Za-z0-9=,_-]{0,200}))?-->[\s\S]*?<!--\/viewer-->|:([a-z-]+)(?::([A-Za-z0-9=,_-]{0,200}))?-->)/g;
const MARK_END = '<!--/viewer-->';

/** The placeholder a cached page carries for a slot. */
export function viewerSlot(name: ViewerSlotName, argument?: string): string {
  return argument === undefined ? `<!--viewer:${name}-->` : `<!--viewer:${name}:${argument}-->`;
}

/** True when the document has any slot, bare or marked (so untouched pages are passed through as they are). */
export function hasViewerSlots(html: string): boolean {
  return html.includes('<!--viewer:') || html.includes('<!--viewer+:');
}

type Fill = (name: string, argument: string | undefined) => string;

/**
 * Replaces every slot, bare or marked, with what `fill` returns for it; unknown slots become empty. `fill` gets the
 * name and the argument and must return markup safe to emit as it is (escaped by its author).
 */
export function fillViewerSlots(html: string, fill: Fill): string {
  return html.replace(SLOT, (_match, markedName?: string, markedArgument?: string, name?: string, argument?: string) =>
    markedName === undefined ? fill(name!, argument) : fill(markedName, markedArgument),
  );
}

/** The shared document as a visitor sees it: every slot filled by `fill`, between markers that keep it replaceable. */
export function markViewerSlots(html: string, fill: Fill): string {
  return fillViewerSlots(html, (name, argument) => {
    const open = argument === undefined ? `<!--viewer+:${name}-->` : `<!--viewer+:${name}:${argument}-->`;
    return `${open}${fill(name, argument)}${MARK_END}`;
  });
}

/** Pure: `like=3,insightful=0` ⇄ a counts record, for the reactions slot's argument. */
export function encodeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([kind, n]) => `${kind}=${n}`)
    .join(',');
}

export function decodeCounts(argument: string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pair of (argument ?? '').split(',')) {
    const [kind, n] = pair.split('=');
    if (kind && n !== undefined && /^\d+$/.test(n)) counts[kind] = Number(n);
  }
  return counts;
}

// The page-personalisation contract: cached pages are one shared document for every visitor, carrying fixed
// placeholder comments where viewer-specific parts go (who is signed in, forms with a CSRF token, the viewer's own
// reactions). After the page is read from cache or rendered, these are filled per request. Pure: no I/O here.

/** The slot names a page may carry. An argument (a comment id, reaction counts) may follow a colon. */
export type ViewerSlotName = 'nav' | 'comment-form' | 'reply-form' | 'reactions';

const SLOT = /<!--viewer:([a-z-]+)(?::([A-Za-z0-9=,_-]{0,200}))?-->/g;

/** The placeholder a cached page carries for a slot. */
export function viewerSlot(name: ViewerSlotName, argument?: string): string {
  return argument === undefined ? `<!--viewer:${name}-->` : `<!--viewer:${name}:${argument}-->`;
}

/** True when the document has any slot to fill (so untouched pages are passed through as they are). */
export function hasViewerSlots(html: string): boolean {
  return html.includes('<!--viewer:');
}

/**
 * Replaces every slot with what `fill` returns for it; unknown slots become empty. `fill` gets the name and the
 * argument and must return markup safe to emit as it is (escaped by its author).
 */
export function fillViewerSlots(html: string, fill: (name: string, argument: string | undefined) => string): string {
  return html.replace(SLOT, (_match, name: string, argument: string | undefined) => fill(name, argument));
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

// The accent colour as a tiny stylesheet: the CSP allows no inline style, and a stylesheet whose address carries the
// colour can be cached for good (another colour is another address).

const HEX = /^[0-9a-f]{6}$/;
/** site.css's accent in the dark scheme. */
const DARK_ACCENT = '#8fd0ad';

export function themeStylesheetPath(accentColor: string): string {
  return `/theme.css?accent=${accentColor.replace('#', '').toLowerCase()}`;
}

/** The stylesheet for `accent` (six hex digits, no #), or null when it is not one. */
export function themeStylesheet(accent: string | undefined): string | null {
  if (!accent || !HEX.test(accent)) return null;
  // The dark scheme keeps site.css's lighter accent: a colour chosen on white may be unreadable on black.
  return `:root { --accent: #${accent}; }\n@media (prefers-color-scheme: dark) { :root { --accent: ${DARK_ACCENT}; } }\n`;
}

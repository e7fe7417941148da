// CSV for the subscriber export (RFC 4180: CRLF lines, fields quoted when they hold a quote, comma or line break).
// Pure. A cell that a spreadsheet would read as a formula (= + - @, or a tab/CR that some strip before looking) is
// prefixed with an apostrophe: an address is typed by strangers, and `=HYPERLINK(…)` must open as text.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

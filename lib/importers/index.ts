// Moving in from another blog: pick the reader for the export's source, then plan and write (apply.ts). The
// Worker loads this module on first use (functions/admin/import.tsx), since only an import needs it; the HTML
// parser and converter it calls run in the text Worker (lib/text/).
import { parseGhostExport } from './ghost';
import type { ImportSource, SourceExport } from './source';
import { parseWordPressExport } from './wordpress';

export { importExport, type ImportOptions, type ImportReport } from './apply';
export { IMPORT_SOURCES, type ImportProblem, type ImportSource } from './source';

export function parseExport(source: ImportSource, text: string, file: string): SourceExport {
  return source === 'ghost' ? parseGhostExport(text, file) : parseWordPressExport(text, file);
}

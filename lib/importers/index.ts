// Moving in from another blog: pick the reader for the export's source, then plan and write (apply.ts). The
// Worker loads this module on first use (functions/admin/import.tsx): the HTML parser and converter are a large
// share of the bundle, and only an import needs them.
import { parseGhostExport } from './ghost';
import type { ImportSource, SourceExport } from './source';
import { parseWordPressExport } from './wordpress';

export { importExport, type ImportOptions, type ImportReport } from './apply';
export { IMPORT_SOURCES, type ImportProblem, type ImportSource } from './source';

export function parseExport(source: ImportSource, text: string, file: string): SourceExport {
  return source === 'ghost' ? parseGhostExport(text, file) : parseWordPressExport(text, file);
}

// `npm run export [-- <file.zip>]`: every post as markdown with front matter, in the zip GET /api/export serves.
// Zip keeps wall-clock times without a zone; the Worker runs in UTC, and so does this, so both give the same bytes.
process.env.TZ = 'UTC';

import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { exportBlog } from '../lib/export';
import { openCliDeps } from './cli-deps';

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const out = positionals[0] ?? `lembas-export-${new Date().toISOString().slice(0, 10)}.zip`;
  const cli = await openCliDeps();
  try {
    const target = out === '-' ? process.stdout : createWriteStream(out);
    await exportBlog(cli.deps.sql).pipeTo(Writable.toWeb(target) as WritableStream<Uint8Array>);
    if (out !== '-') console.error(`exported ${cli.target} to ${out}`);
  } finally {
    await cli.close();
  }
}

main().catch((error) => {
  console.error('[lembas] export failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});

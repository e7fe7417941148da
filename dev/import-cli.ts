// `npm run import -- <folders, files or export zips> [--as <username>]`: markdown posts in through the API's rules.
// `npm run import -- --from ghost export.json` / `--from wordpress export.xml`: another blog's export, through
// lib/importers (add `--skip-invalid` to import what is fine and report the rest, `--old-url https://old.blog`
// to point Ghost's own links and images at the old address, `--copy-images` to copy the posts' images into the local
// R2 bucket of `npm run dev`).
// Idempotent, so an import that stopped half way (a crash, Ctrl-C, a lost connection) is run again as is.
import { SingleBar } from 'cli-progress';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { hasRole } from '../lib/auth/roles';
import type { Deps } from '../lib/context';
import { getOldestAdmin, getUserByUsername } from '../lib/db/users';
import { importPostFiles } from '../lib/import';
import { IMPORT_SOURCES, importExport, parseExport, type ImportReport, type ImportSource } from '../lib/importers';
import type { AuthUser } from '../lib/schemas/user';
import { getPlatformProxy } from 'wrangler';
import { openCliDeps } from './cli-deps';
import { isNeonUrl } from './neon-url';
import { readInputs } from './import-files';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      from: { type: 'string' },
      'skip-invalid': { type: 'boolean', default: false },
      'old-url': { type: 'string' },
      'copy-images': { type: 'boolean', default: false },
    },
  });
  const from = values.from;
  if (from !== undefined && !(IMPORT_SOURCES as readonly string[]).includes(from)) {
    throw new Error(`--from takes ${IMPORT_SOURCES.join(' or ')}, not "${from}"`);
  }
  if (positionals.length === 0) {
    throw new Error(
      from
        ? `name the export file: npm run import -- --from ${from} ${from === 'ghost' ? 'export.json' : 'export.xml'}`
        : 'name the markdown files, folders or export zips to import: npm run import -- ./source/_posts',
    );
  }
  const copyImages = values['copy-images'];
  if (copyImages && !from) throw new Error('--copy-images is for --from ghost or --from wordpress');
  if (copyImages && isNeonUrl(process.env.DATABASE_URL)) {
    throw new Error(
      "--copy-images writes to the local R2 bucket `npm run dev` serves; for the deployed site, tick the admin's " +
        '"Copy the posts\' images" box in /admin/import',
    );
  }
  const cli = await openCliDeps();
  // The bucket `npm run dev` serves /media/ from: wrangler's local R2, under .wrangler/state like `wrangler dev`.
  const platform = copyImages ? await getPlatformProxy<{ MEDIA: R2Bucket }>({ persist: true }) : undefined;
  const deps: Deps = platform ? { ...cli.deps, config: { ...cli.deps.config, MEDIA: platform.env.MEDIA } } : cli.deps;
  try {
    const actor = await importingAs(deps, values.as, from ? 'admin' : 'editor');
    if (from) {
      let failed = false;
      for (const path of positionals) {
        const report = await importExport(
          deps,
          actor,
          parseExport(from as ImportSource, await readFile(path, 'utf8'), basename(path)),
          {
            skipInvalid: values['skip-invalid'],
            oldSiteUrl: values['old-url'],
            copyImages: copyImages ? {} : undefined,
          },
        );
        printReport(report);
        failed ||= report.problems.length > 0;
      }
      if (failed) process.exitCode = 2;
      return;
    }
    const files = await readInputs(positionals);
    console.log(`importing ${files.length} files into ${cli.target} as ${actor.username}`);
    const bar = new SingleBar({ format: '{bar} {value}/{total} {slug}', hideCursor: true, noTTYOutput: false });
    bar.start(files.length, 0, { slug: '' });
    const summary = await importPostFiles(cli.deps, actor, files, (outcome, done) =>
      bar.update(done, { slug: outcome.slug ?? '' }),
    );
    bar.stop();
    console.log(
      `created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, refused ${summary.refused.length}`,
    );
    for (const { path, note } of summary.notes) console.log(`  note     ${path}: ${note}`);
    for (const { path, reason } of summary.refused) console.log(`  refused  ${path}: ${reason}`);
    if (summary.refused.length > 0) process.exitCode = 2;
  } finally {
    await platform?.dispose();
    await cli.close();
  }
}

/** The account the import writes as: `--as`, or the oldest admin. Exports create authors, so they need an admin. */
async function importingAs(deps: Deps, username: string | undefined, minimum: 'editor' | 'admin'): Promise<AuthUser> {
  const record = username ? await getUserByUsername(deps.sql, username) : await getOldestAdmin(deps.sql);
  if (!record || record.disabled || !hasRole(record, minimum)) {
    throw new Error(
      username
        ? `"${username}" is not an enabled ${minimum === 'admin' ? 'admin' : 'editor or admin'} here`
        : `there is no admin to import as (create one with npm run create-admin${minimum === 'editor' ? ', or pass --as <editor>' : ''})`,
    );
  }
  return { id: record.id, username: record.username, displayName: record.displayName, role: record.role };
}

function printReport(report: ImportReport): void {
  console.log(
    report.written
      ? `${report.file} (${report.source}): created ${report.created.length}, updated ${report.updated.length}, unchanged ${report.unchanged.length}, skipped ${report.skipped.length}, new authors ${report.authorsCreated.length}`
      : `${report.file} (${report.source}): nothing written, ${report.problems.length} problems (fix them, or pass --skip-invalid)`,
  );
  for (const { item, reason } of report.skipped) console.log(`  skipped  ${item}: ${reason}`);
  for (const { item, note } of report.notes) console.log(`  note     ${item}: ${note}`);
  if (report.imagesCopied > 0) console.log(`  images   ${report.imagesCopied} copied into R2`);
  for (const { item, url, reason } of report.imagesLeft) console.log(`  image    ${item}: ${url} left (${reason})`);
  for (const { item, field, message } of report.problems) console.log(`  problem  ${item}, ${field}: ${message}`);
}

main().catch((error) => {
  console.error('[lembas] import failed:', error instanceof Error ? error.message : error);
  console.error('Nothing half-written is left behind: run the same command again to carry on.');
  process.exit(1);
});

// `npm run import -- <folders, files or export zips> [--as <username>]`: markdown posts in through the API's rules.
// Idempotent by slug, so an import that stopped half way (a crash, Ctrl-C, a lost connection) is run again as is.
import { SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import { hasRole } from '../lib/auth/roles';
import { getOldestAdmin, getUserByUsername } from '../lib/db/users';
import { importPostFiles } from '../lib/import';
import { openCliDeps } from './cli-deps';
import { readInputs } from './import-files';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { as: { type: 'string' } },
  });
  if (positionals.length === 0) {
    throw new Error('name the markdown files, folders or export zips to import: npm run import -- ./source/_posts');
  }
  const files = await readInputs(positionals);
  const cli = await openCliDeps();
  try {
    const record = values.as ? await getUserByUsername(cli.deps.sql, values.as) : await getOldestAdmin(cli.deps.sql);
    if (!record || record.disabled || !hasRole(record, 'editor')) {
      throw new Error(
        values.as
          ? `"${values.as}" is not an enabled editor or admin here`
          : 'there is no admin to import as (create one with npm run create-admin, or pass --as <editor>)',
      );
    }
    const actor = { id: record.id, username: record.username, displayName: record.displayName, role: record.role };
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
    await cli.close();
  }
}

main().catch((error) => {
  console.error('[lembas] import failed:', error instanceof Error ? error.message : error);
  console.error('Nothing half-written is left behind: run the same command again to carry on.');
  process.exit(1);
});

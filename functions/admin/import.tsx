// /admin/import (admins): a Ghost or WordPress export uploaded and imported through lib/importers, as
// `npm run import -- --from ...` would. A file with problems shows them all and writes nothing (unless asked to
// import what is fine); larger exports than an upload takes are pointed at the CLI.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import type { ImportReport } from '../../lib/importers';
import { IMPORT_SOURCES } from '../../lib/importers/source';
import { requireSignedIn, signedInSession } from '../auth/session';
import { readForm } from './form';
import { ImportPage, type ImportFormValues } from './views/import';

/** An upload is parsed and converted within one request's CPU; bigger exports go through the CLI. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_MEGABYTES = MAX_IMPORT_BYTES / 1024 / 1024;
/**
 * Image copies one upload may make: each is a fetch (plus its address checks and redirects) and a write to R2, and
 * a request has a budget of subrequests. The command line copies them all.
 */
export const MAX_IMAGE_COPIES = 40;

const ImportForm = z.object({
  source: z.enum(IMPORT_SOURCES, { message: 'Choose Ghost or WordPress.' }),
  oldSiteUrl: z.union([
    z.literal(''),
    z.url({ protocol: /^https?$/, message: "The old blog's address must be an http(s) URL." }).max(200),
  ]),
  skipInvalid: z.boolean(),
  copyImages: z.boolean(),
});

async function importPage(
  c: Context<AppEnv>,
  values: ImportFormValues,
  { report, error }: { report?: ImportReport; error?: string } = {},
  status = 200,
) {
  const { user, csrfToken } = await signedInSession(c);
  return c.html(
    <ImportPage
      user={user}
      csrfToken={csrfToken}
      values={values}
      maxMegabytes={MAX_MEGABYTES}
      maxImageCopies={MAX_IMAGE_COPIES}
      report={report}
      error={error}
    />,
    status as 200,
  );
}

export const adminImport = new Hono<AppEnv>()
  .get('/admin/import', requireSignedIn('admin'), (c) =>
    importPage(c, { source: 'ghost', oldSiteUrl: '', skipInvalid: false, copyImages: false }),
  )
  .post(
    '/admin/import',
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES + 64 * 1024,
      onError: () => {
        throw new AppError(
          'payload_too_large',
          `Uploads are limited to ${MAX_MEGABYTES} MB. Import a larger export with npm run import -- --from ghost export.json (or --from wordpress export.xml).`,
        );
      },
    }),
    requireSignedIn('admin'),
    async (c) => {
      const { user } = await signedInSession(c);
      const form = await readForm(c);
      const values = {
        source: form.text('source'),
        oldSiteUrl: form.text('oldSiteUrl').trim(),
        skipInvalid: form.text('skipInvalid') === 'true',
        copyImages: form.text('copyImages') === 'true',
      };
      const parsed = ImportForm.safeParse(values);
      if (!parsed.success) return importPage(c, values, { error: parsed.error.issues[0]?.message }, 422);
      const file = form.file('file');
      if (!file) return importPage(c, values, { error: 'Choose the export file to upload.' }, 422);
      const text = await file.text();
      const { importExport, parseExport } = await import('../../lib/importers');
      const report = await importExport(
        c.var.deps,
        user,
        parseExport(parsed.data.source, text, file.name || 'export'),
        {
          skipInvalid: parsed.data.skipInvalid,
          oldSiteUrl: parsed.data.oldSiteUrl || undefined,
          copyImages: parsed.data.copyImages ? { limit: MAX_IMAGE_COPIES } : undefined,
        },
      );
      return importPage(c, values, { report }, report.written ? 200 : 422);
    },
  );

// Admins' import page: upload a Ghost or WordPress export, then read what happened to each item.
import type { ImportReport } from '../../../lib/importers';
import type { AuthUser } from '../../../lib/schemas/user';
import { CsrfField } from '../../pages/views/viewer-parts';
import { AdminLayout, Notice } from './layout';

export interface ImportFormValues {
  source: string;
  oldSiteUrl: string;
  skipInvalid: boolean;
  copyImages: boolean;
}

export function ImportPage({
  user,
  csrfToken,
  values,
  maxMegabytes,
  maxImageCopies,
  report,
  error,
}: {
  user: AuthUser;
  csrfToken: string;
  values: ImportFormValues;
  maxMegabytes: number;
  maxImageCopies: number;
  report?: ImportReport;
  error?: string;
}) {
  return (
    <AdminLayout title="Import" user={user}>
      <h1>Import from Ghost or WordPress</h1>
      <Notice error={error} />
      {report ? <ImportResult report={report} /> : null}
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="stack">
        <CsrfField token={csrfToken} />
        <fieldset>
          <legend>Export from</legend>
          <label>
            <input type="radio" name="source" value="ghost" checked={values.source !== 'wordpress'} /> Ghost (JSON, from
            Settings › Labs › Export)
          </label>
          <label>
            <input type="radio" name="source" value="wordpress" checked={values.source === 'wordpress'} /> WordPress
            (WXR, from Tools › Export)
          </label>
        </fieldset>
        <label>
          Export file
          <input type="file" name="file" accept=".json,.xml,application/json,text/xml" required />
        </label>
        <p class="hint">
          Up to {maxMegabytes} MB here. For a larger export, run <code>npm run import -- --from ghost export.json</code>{' '}
          (or <code>--from wordpress export.xml</code>).
        </p>
        <label>
          The old blog's address (optional; Ghost's own links and images point there)
          <input
            type="url"
            name="oldSiteUrl"
            value={values.oldSiteUrl}
            maxlength={200}
            placeholder="https://old.example"
          />
        </label>
        <label>
          <input type="checkbox" name="skipInvalid" value="true" checked={values.skipInvalid} /> Import the items that
          are fine even if some are not (otherwise a file with any problem imports nothing)
        </label>
        <label>
          <input type="checkbox" name="copyImages" value="true" checked={values.copyImages} /> Copy the posts' images
          into this site's storage (up to {maxImageCopies} per upload; images that cannot be fetched stay where they are
          and are listed)
        </label>
        <button type="submit">Import</button>
      </form>
    </AdminLayout>
  );
}

function ImportResult({ report }: { report: ImportReport }) {
  return (
    <section aria-labelledby="import-result">
      <h2 id="import-result">
        {report.written ? `Imported ${report.file}` : `Nothing was imported from ${report.file}`}
      </h2>
      {report.written ? (
        <p role="status">
          {report.created.length} created, {report.updated.length} updated, {report.unchanged.length} unchanged,{' '}
          {report.skipped.length} skipped, {report.authorsCreated.length} new authors
          {report.authorsCreated.length > 0
            ? ` (${report.authorsCreated.join(', ')}; they sign in after a password reset)`
            : ''}
          .
        </p>
      ) : (
        <p role="alert">
          Fix these problems in the export and upload it again, or tick "Import the items that are fine".
        </p>
      )}
      {report.problems.length > 0 ? (
        <table>
          <caption>Problems</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Field</th>
              <th scope="col">What is wrong</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((problem) => (
              <tr>
                <td>{problem.item}</td>
                <td>{problem.field}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.imagesCopied > 0 ? (
        <p>
          {report.imagesCopied === 1 ? '1 image' : `${report.imagesCopied} images`} copied into this site's storage.
        </p>
      ) : null}
      {report.imagesLeft.length > 0 ? (
        <table>
          <caption>Images left at their old address</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Image</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {report.imagesLeft.map(({ item, url, reason }) => (
              <tr>
                <td>{item}</td>
                <td>{url}</td>
                <td>{reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.skipped.length + report.notes.length > 0 ? (
        <ul>
          {report.skipped.map(({ item, reason }) => (
            <li>
              Skipped {item}: {reason}
            </li>
          ))}
          {report.notes.map(({ item, note }) => (
            <li>
              {item}: {note}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

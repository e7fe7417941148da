// The site settings form: every field of lib/settings/schema.ts, the logo and icon as uploads, and the two link
// lists edited by plain submit buttons (add, remove, move up and down, link a published page), which re-render the
// form with the change unsaved, so it works without JavaScript.
import type { PageSummary } from '../../../lib/schemas/page';
import type { AuthUser } from '../../../lib/schemas/user';
import { MAX_FOOTER_LENGTH, MAX_POSTS_PER_PAGE } from '../../../lib/settings';
import { CsrfField } from '../../pages/views/viewer-parts';
import {
  LINK_LISTS,
  LOADED_FIELD,
  linkFieldName,
  type ImageField,
  type LinkListName,
  type LinkRow,
  type SettingsFormValues,
} from '../settings-form';
import { AdminLayout, FieldError, Notice } from './layout';

type Errors = Record<string, string> | undefined;

const IMAGE_TYPES = 'image/jpeg,image/png,image/webp,image/gif';

/** Every IANA zone the runtime knows, offered as suggestions (any zone the schema accepts may be typed). */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

/** The id of a field's error message: `navigation.2.url` → `navigation-2-url-error`. */
const errorId = (name: string) => `${name.replaceAll('.', '-')}-error`;

/** An error tied to its input by id, for inputs named by aria-label rather than a wrapping label. */
function RowError({ errors, name }: { errors: Errors; name: string }) {
  const message = errors?.[name];
  return message ? (
    <span class="field-error" id={errorId(name)}>
      {message}
    </span>
  ) : null;
}

function errorProps(errors: Errors, name: string) {
  return errors?.[name] ? { 'aria-invalid': 'true', 'aria-describedby': errorId(name) } : {};
}

function ImageSetting({
  field,
  label,
  hint,
  value,
  errors,
}: {
  field: ImageField;
  label: string;
  hint: string;
  value: string;
  errors: Errors;
}) {
  return (
    <fieldset>
      <legend>{label}</legend>
      <p class="hint">{hint}</p>
      {value ? (
        <p>
          <img class="setting-image" src={value} alt={`The current ${label.toLowerCase()}`} height="48" />
        </p>
      ) : (
        <p>None yet.</p>
      )}
      <input type="hidden" name={field} value={value} />
      <label>
        {value ? 'Replace it' : 'Upload one'} (JPEG, PNG, WebP or GIF, up to 5 MB)
        <input type="file" name={`${field}File`} accept={IMAGE_TYPES} {...errorProps(errors, field)} />
        <RowError errors={errors} name={field} />
      </label>
      {value ? (
        <label class="checkbox">
          <input type="checkbox" name={`${field}Remove`} /> Remove the {label.toLowerCase()}
        </label>
      ) : null}
    </fieldset>
  );
}

/** What one row is called to assistive technology: the two tables' rows must not share names. */
const ROW_NOUN: Record<LinkListName, string> = { navigation: 'header link', socialLinks: 'social link' };

function LinkList({
  list,
  caption,
  rows,
  errors,
}: {
  list: LinkListName;
  caption: string;
  rows: LinkRow[];
  errors: Errors;
}) {
  const noun = ROW_NOUN[list];
  const max = LINK_LISTS[list];
  return (
    <>
      {rows.length > 0 ? (
        <table class="links">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Address</th>
              <th scope="col">
                <span class="visually-hidden">Order</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const label = linkFieldName(list, index, 'label');
              const url = linkFieldName(list, index, 'url');
              const n = index + 1;
              return (
                <tr>
                  <td>
                    <input
                      type="text"
                      name={label}
                      value={row.label}
                      maxlength={40}
                      aria-label={`Label of ${noun} ${n}`}
                      {...errorProps(errors, label)}
                    />
                    <RowError errors={errors} name={label} />
                  </td>
                  <td>
                    <input
                      type="text"
                      name={url}
                      value={row.url}
                      maxlength={500}
                      placeholder="/about or https://…"
                      aria-label={`Address of ${noun} ${n}`}
                      {...errorProps(errors, url)}
                    />
                    <RowError errors={errors} name={url} />
                  </td>
                  <td class="row-actions">
                    <button
                      type="submit"
                      name="edit"
                      value={`${list}:up:${index}`}
                      formnovalidate
                      disabled={index === 0}
                      aria-label={`Move ${noun} ${n} up`}
                    >
                      Up
                    </button>
                    <button
                      type="submit"
                      name="edit"
                      value={`${list}:down:${index}`}
                      formnovalidate
                      disabled={index === rows.length - 1}
                      aria-label={`Move ${noun} ${n} down`}
                    >
                      Down
                    </button>
                    <button
                      type="submit"
                      name="edit"
                      value={`${list}:remove:${index}`}
                      formnovalidate
                      aria-label={`Remove ${noun} ${n}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p>No links yet.</p>
      )}
      <FieldError errors={errors} name={list} />
      <p class="actions">
        <button type="submit" name="edit" value={`${list}:add`} formnovalidate disabled={rows.length >= max}>
          Add a {noun}
        </button>
        {rows.length >= max ? <span> (at most {max})</span> : null}
      </p>
    </>
  );
}

/** What the settings page shows, besides who is signed in. */
export interface SettingsPageState {
  values: SettingsFormValues;
  /** What the form showed when it was opened; kept through list edits and refusals until a save lands. */
  loaded: string;
  pages: PageSummary[];
  errors?: Record<string, string>;
  message?: string;
  error?: string;
}

export function SettingsPage({
  user,
  csrfToken,
  values,
  loaded,
  pages,
  errors,
  message,
  error,
}: SettingsPageState & { user: AuthUser; csrfToken: string }) {
  return (
    <AdminLayout title="Settings" user={user}>
      <h1>Site settings</h1>
      <Notice message={message} error={error} />
      <form method="post" action="/admin/settings" enctype="multipart/form-data" class="settings">
        <CsrfField token={csrfToken} />
        <input type="hidden" name={LOADED_FIELD} value={loaded} />
        {/* Enter in a text field presses the form's first submit button: that must be Save, not a list edit. */}
        <button type="submit" name="edit" value="save" hidden>
          Save settings
        </button>

        <section aria-labelledby="settings-site">
          <h2 id="settings-site">The site</h2>
          <label>
            Title
            <input type="text" name="title" value={values.title} required maxlength={80} />
            <FieldError errors={errors} name="title" />
          </label>
          <label>
            Description (feeds, search engines and the home page)
            <textarea name="description" rows={2} maxlength={300}>
              {values.description}
            </textarea>
            <FieldError errors={errors} name="description" />
          </label>
          <label>
            Accent colour (links, buttons, the browser’s theme colour)
            <input type="color" name="accentColor" value={values.accentColor} />
            <FieldError errors={errors} name="accentColor" />
          </label>
          <ImageSetting
            field="logo"
            label="Logo"
            hint="Shown beside the title in every page’s header."
            value={values.logo}
            errors={errors}
          />
          <ImageSetting
            field="icon"
            label="Icon"
            hint="The favicon browsers show in tabs and bookmarks; a square image."
            value={values.icon}
            errors={errors}
          />
        </section>

        <section aria-labelledby="settings-dates">
          <h2 id="settings-dates">Language and dates</h2>
          <label>
            Language (a tag such as en-GB, fr or de-CH: the pages’ language and date format)
            <input type="text" name="locale" value={values.locale} required maxlength={35} />
            <FieldError errors={errors} name="locale" />
          </label>
          <label>
            Time zone (dates on pages are shown in it)
            <input type="text" name="timeZone" value={values.timeZone} required maxlength={64} list="time-zones" />
            <FieldError errors={errors} name="timeZone" />
          </label>
          <datalist id="time-zones">
            {timeZones().map((zone) => (
              <option value={zone} />
            ))}
          </datalist>
        </section>

        <section aria-labelledby="settings-navigation">
          <h2 id="settings-navigation">Navigation</h2>
          <p class="hint">Links in every page’s header, in this order. A link left empty is dropped when you save.</p>
          <LinkList list="navigation" caption="Header links" rows={values.navigation} errors={errors} />
          {pages.length > 0 ? (
            <div class="page-picker">
              <label>
                Link to one of your pages
                <select name="navigationPage" {...errorProps(errors, 'navigationPage')}>
                  <option value="">Choose a page</option>
                  {pages.map((page) => (
                    <option value={String(page.id)}>
                      {page.title} (/{page.slug})
                    </option>
                  ))}
                </select>
                <RowError errors={errors} name="navigationPage" />
              </label>
              <button type="submit" name="edit" value="page" formnovalidate>
                Add page link
              </button>
            </div>
          ) : (
            <p>
              No published pages yet: <a href="/admin/pages">write one</a> (an About page, say), then link it here.
            </p>
          )}
        </section>

        <section aria-labelledby="settings-footer">
          <h2 id="settings-footer">Footer</h2>
          <label>
            Footer text (markdown, under every page)
            <textarea name="footer" rows={3} maxlength={MAX_FOOTER_LENGTH}>
              {values.footer}
            </textarea>
            <FieldError errors={errors} name="footer" />
          </label>
          <h3>Social links</h3>
          <p class="hint">In the footer, marked rel="me" so profiles elsewhere can verify this site. https only.</p>
          <LinkList list="socialLinks" caption="Social links" rows={values.socialLinks} errors={errors} />
        </section>

        <section aria-labelledby="settings-posts">
          <h2 id="settings-posts">Posts and comments</h2>
          <label>
            Posts per page (home, tag and author pages)
            <input
              type="number"
              name="postsPerPage"
              value={values.postsPerPage}
              min={1}
              max={MAX_POSTS_PER_PAGE}
              required
            />
            <FieldError errors={errors} name="postsPerPage" />
          </label>
          <label>
            Who may comment
            <select name="comments">
              <option value="open" selected={values.comments === 'open'}>
                Every account, also readers who have not confirmed their address
              </option>
              <option value="signedIn" selected={values.comments === 'signedIn'}>
                Accounts with a confirmed address
              </option>
              <option value="off" selected={values.comments === 'off'}>
                Nobody: comments are closed (threads stay visible)
              </option>
            </select>
            <FieldError errors={errors} name="comments" />
          </label>
          <label class="checkbox">
            <input type="checkbox" name="firstCommentModeration" checked={values.firstCommentModeration} /> Hold a
            reader’s first comment for moderation
          </label>
        </section>

        <section aria-labelledby="settings-accounts">
          <h2 id="settings-accounts">Accounts</h2>
          <label>
            Sign-up
            <select name="registration">
              <option value="open" selected={values.registration === 'open'}>
                Open: visitors may create accounts
              </option>
              <option value="closed" selected={values.registration === 'closed'}>
                Closed
              </option>
            </select>
            <FieldError errors={errors} name="registration" />
          </label>
        </section>

        <p class="actions">
          <button type="submit" name="edit" value="save">
            Save settings
          </button>
        </p>
      </form>
    </AdminLayout>
  );
}

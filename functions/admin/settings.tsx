// /admin/settings (admins): every site setting in one form, validated by the schema of PATCH /api/settings and saved
// through the same lib function, so both paths drop the same cached pages. The logo and icon upload through the
// media path (lib/media.ts) in the same multipart form; the link lists are edited by buttons that re-render the
// form with the change unsaved.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { MAX_IMAGE_BYTES } from '../../lib/images';
import { uploadImage } from '../../lib/media';
import { listPages } from '../../lib/pages/pages';
import { readSettings, updateSettings } from '../../lib/settings';
import { SettingsPatch } from '../../lib/settings/validation';
import { requireSignedIn, signedInSession } from '../auth/session';
import { parseFormBody } from '../form';
import {
  applyEdit,
  changedFields,
  formValuesOf,
  LOADED_FIELD,
  loadedStateOf,
  IMAGE_FIELDS,
  parseEdit,
  patchInputOf,
  readSettingsForm,
  settingsFieldErrors,
  withoutBlankRows,
} from './settings-form';
import { SettingsPage, type SettingsPageState } from './views/settings';

async function settingsPage(c: Context<AppEnv>, state: SettingsPageState, status: 200 | 422 = 200) {
  const { user, csrfToken } = await signedInSession(c);
  return c.html(<SettingsPage user={user} csrfToken={csrfToken} {...state} />, status);
}

/** An expected refusal (bad file, unrenderable footer) as a message for the form; anything else propagates. */
function refusal(error: unknown): AppError {
  if (error instanceof AppError && error.status < 500) return error;
  throw error;
}

/** A logo and an icon may come in one form: room for two images of the largest size, checked before parsing. */
function settingsFormLimit() {
  return bodyLimit({
    maxSize: 2 * MAX_IMAGE_BYTES + 1024 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES / 1024 / 1024} MB each.`);
    },
  });
}

const UNSAVED = 'Not saved yet: press “Save settings” to keep your changes.';
const REFUSED = 'Nothing was saved: correct the fields marked below.';

export const adminSettings = new Hono<AppEnv>()
  .get('/admin/settings', requireSignedIn('admin'), async (c) => {
    const { user } = await signedInSession(c);
    const [settings, pages] = await Promise.all([readSettings(c.var.deps), listPages(c.var.deps, user, false)]);
    const message = c.req.query('done') === 'saved' ? 'Settings saved.' : undefined;
    const values = formValuesOf(settings);
    return settingsPage(c, { values, loaded: loadedStateOf(values), pages, message });
  })
  .post('/admin/settings', settingsFormLimit(), requireSignedIn('admin'), async (c) => {
    const { user } = await signedInSession(c);
    const body = await parseFormBody(c);
    const edit = parseEdit(body.edit);
    const errors: Record<string, string> = {};
    const pagesPending = listPages(c.var.deps, user, false);
    let values = readSettingsForm(body);
    const loaded = typeof body[LOADED_FIELD] === 'string' ? body[LOADED_FIELD] : '';

    // A chosen image is stored whatever the button pressed, so a re-rendered form never asks for it again (an
    // upload the settings never keep is swept with the other unused media).
    const uploads = await Promise.all(
      IMAGE_FIELDS.map(async (field) => {
        const file = body[`${field}File`];
        if (!(file instanceof File) || (file.size === 0 && !file.name)) return null;
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          return { field, url: (await uploadImage(c.var.deps, user, { bytes, name: file.name })).media.url };
        } catch (error) {
          errors[field] = refusal(error).message;
          return null;
        }
      }),
    );
    for (const upload of uploads) if (upload) values = { ...values, [upload.field]: upload.url };

    const pages = await pagesPending;
    if (edit.kind === 'page') {
      const page = pages.find((candidate) => String(candidate.id) === body.navigationPage);
      if (page) values = applyEdit(values, edit, { label: page.title.slice(0, 40).trim(), url: `/${page.slug}` });
      else errors.navigationPage = 'Choose one of the published pages first.';
    }
    if (edit.kind !== 'save') {
      const failed = Object.keys(errors).length > 0;
      values = applyEdit(values, edit);
      return settingsPage(c, { values, loaded, pages, errors, message: UNSAVED }, failed ? 422 : 200);
    }

    values = withoutBlankRows(values);
    const parsed = SettingsPatch.safeParse(changedFields(patchInputOf(values), loaded));
    if (!parsed.success) {
      for (const [field, message] of Object.entries(settingsFieldErrors(parsed.error.issues)))
        errors[field] ??= message;
    }
    if (!parsed.success || Object.keys(errors).length > 0) {
      return settingsPage(c, { values, loaded, pages, errors, error: REFUSED }, 422);
    }
    try {
      await updateSettings(c.var.deps, user, parsed.data);
    } catch (error) {
      const refused = refusal(error);
      for (const field of refused.extra.errors ?? []) errors[field.path.replace(/^body\./, '')] = field.message;
      return settingsPage(c, { values, loaded, pages, errors, error: refused.message }, 422);
    }
    return c.redirect('/admin/settings?done=saved', 303);
  });

// The settings form's pure parts (functions/admin/settings-form.ts): reading the posted fields, the list edits that
// redraw the form, and errors named as the form names its inputs. Through HTTP: admin-settings.test.ts.
import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  formValuesOf,
  parseEdit,
  patchInputOf,
  readSettingsForm,
  settingsFieldErrors,
  withoutBlankRows,
  type SettingsFormValues,
} from '../functions/admin/settings-form';
import { MAX_NAVIGATION_ITEMS, settingsTitled } from '../lib/settings';
import { SettingsPatch } from '../lib/settings/validation';

const rows = (...labels: string[]) => labels.map((label) => ({ label, url: `/${label.toLowerCase()}` }));

function values(navigation = rows('A', 'B', 'C')): SettingsFormValues {
  return { ...formValuesOf(settingsTitled('Blog', '')), navigation };
}

describe('parseEdit', () => {
  it('reads the pressed button, and saves for anything else (Enter in a field sends no button)', () => {
    expect(parseEdit('navigation:up:2')).toEqual({ kind: 'up', list: 'navigation', index: 2 });
    expect(parseEdit('socialLinks:remove:0')).toEqual({ kind: 'remove', list: 'socialLinks', index: 0 });
    expect(parseEdit('socialLinks:add')).toEqual({ kind: 'add', list: 'socialLinks' });
    expect(parseEdit('page')).toEqual({ kind: 'page' });
    for (const other of [undefined, 'save', '', 'navigation:up', 'tags:add', 'navigation:up:-1', ['page']]) {
      expect(parseEdit(other)).toEqual({ kind: 'save' });
    }
  });
});

describe('applyEdit', () => {
  const labels = (v: SettingsFormValues) => v.navigation.map((row) => row.label);

  it('moves, removes and adds rows, and leaves the form alone for moves past either end', () => {
    expect(labels(applyEdit(values(), { kind: 'up', list: 'navigation', index: 2 }))).toEqual(['A', 'C', 'B']);
    expect(labels(applyEdit(values(), { kind: 'down', list: 'navigation', index: 0 }))).toEqual(['B', 'A', 'C']);
    expect(labels(applyEdit(values(), { kind: 'remove', list: 'navigation', index: 1 }))).toEqual(['A', 'C']);
    expect(labels(applyEdit(values(), { kind: 'add', list: 'navigation' }))).toEqual(['A', 'B', 'C', '']);
    expect(labels(applyEdit(values(), { kind: 'up', list: 'navigation', index: 0 }))).toEqual(['A', 'B', 'C']);
    expect(labels(applyEdit(values(), { kind: 'down', list: 'navigation', index: 2 }))).toEqual(['A', 'B', 'C']);
    expect(labels(applyEdit(values(), { kind: 'remove', list: 'navigation', index: 7 }))).toEqual(['A', 'B', 'C']);
  });

  it('adds no row beyond the most the schema allows', () => {
    const full = values(rows(...Array.from({ length: MAX_NAVIGATION_ITEMS }, (_, i) => `L${i}`)));
    expect(applyEdit(full, { kind: 'add', list: 'navigation' }).navigation).toHaveLength(MAX_NAVIGATION_ITEMS);
    const about = { label: 'About', url: '/about' };
    expect(applyEdit(full, { kind: 'page' }, about).navigation).toHaveLength(MAX_NAVIGATION_ITEMS);
  });

  it('puts a picked page in the empty row left for it, else at the end', () => {
    const about = { label: 'About', url: '/about' };
    expect(labels(applyEdit(values(), { kind: 'page' }, about))).toEqual(['A', 'B', 'C', 'About']);
    const blank = values([...rows('A'), { label: '', url: '' }]);
    expect(applyEdit(blank, { kind: 'page' }, about).navigation).toEqual([...rows('A'), about]);
  });
});

describe('readSettingsForm', () => {
  it('orders rows by their number, not as the fields arrived, and ignores absurd row numbers', () => {
    const form = readSettingsForm({
      'navigation.10.label': 'Ten',
      'navigation.10.url': '/ten',
      'navigation.2.label': 'Two',
      'navigation.2.url': '/two',
      'navigation.500.label': 'Forged',
      'navigation.500.url': '/forged',
      'socialLinks.0.label': 'Mastodon',
    });
    expect(form.navigation).toEqual([
      { label: 'Two', url: '/two' },
      { label: 'Ten', url: '/ten' },
    ]);
    expect(form.socialLinks).toEqual([{ label: 'Mastodon', url: '' }]);
  });

  it('drops an image when its Remove box is ticked, and reads the footer with plain newlines', () => {
    const form = readSettingsForm({ logo: '/media/x.png', logoRemove: 'on', icon: '/media/y.png', footer: 'a\r\nb' });
    expect(form.logo).toBe('');
    expect(form.icon).toBe('/media/y.png');
    expect(form.footer).toBe('a\nb');
  });
});

describe('saving', () => {
  it('drops rows left empty, sends numbers and absent images as the API takes them', () => {
    const typed = withoutBlankRows(values([...rows('A'), { label: ' ', url: '' }, { label: '', url: '/half' }]));
    expect(typed.navigation).toEqual([...rows('A'), { label: '', url: '/half' }]);
    const input = patchInputOf({ ...typed, postsPerPage: ' 7 ', logo: '' });
    expect(input).toMatchObject({ postsPerPage: 7, logo: null });
    expect(patchInputOf({ ...typed, postsPerPage: 'lots' }).postsPerPage).toBe('lots');
  });

  it('names each error as the form names its input', () => {
    const parsed = SettingsPatch.safeParse(
      patchInputOf({ ...values([...rows('A'), { label: '', url: 'javascript:1' }]), postsPerPage: '0' }),
    );
    expect(parsed.success).toBe(false);
    const errors = settingsFieldErrors(parsed.error!.issues);
    expect(Object.keys(errors).sort()).toEqual(['navigation.1.label', 'navigation.1.url', 'postsPerPage']);
    expect(errors.postsPerPage).toBe('must be a whole number from 1 to 50');
  });
});

// The settings form as an admin filled it in: its values (kept as typed, so a refused form comes back as it was
// sent), the list edits that re-render it unsaved (add, remove, move a link: no JavaScript needed), and the
// PATCH body the same zod schema as PATCH /api/settings then validates.
import type { BodyData } from 'hono/utils/body';
import type { z } from 'zod';
import { MAX_NAVIGATION_ITEMS, MAX_POSTS_PER_PAGE, MAX_SOCIAL_LINKS, type SiteSettings } from '../../lib/settings';

export interface LinkRow {
  label: string;
  url: string;
}

/** The two lists of links the form edits, and how long each may grow. */
export const LINK_LISTS = { navigation: MAX_NAVIGATION_ITEMS, socialLinks: MAX_SOCIAL_LINKS } as const;
export type LinkListName = keyof typeof LINK_LISTS;

export const IMAGE_FIELDS = ['logo', 'icon'] as const;
export type ImageField = (typeof IMAGE_FIELDS)[number];

export interface SettingsFormValues {
  title: string;
  description: string;
  locale: string;
  timeZone: string;
  accentColor: string;
  /** '' for none. */
  logo: string;
  icon: string;
  navigation: LinkRow[];
  footer: string;
  socialLinks: LinkRow[];
  postsPerPage: string;
  comments: string;
  firstCommentModeration: boolean;
  registration: string;
}

export function formValuesOf(settings: SiteSettings): SettingsFormValues {
  return {
    title: settings.title,
    description: settings.description,
    locale: settings.locale,
    timeZone: settings.timeZone,
    accentColor: settings.accentColor,
    logo: settings.logo ?? '',
    icon: settings.icon ?? '',
    navigation: settings.navigation.map(({ label, url }) => ({ label, url })),
    footer: settings.footer,
    socialLinks: settings.socialLinks.map(({ label, url }) => ({ label, url })),
    postsPerPage: String(settings.postsPerPage),
    comments: settings.comments,
    firstCommentModeration: settings.firstCommentModeration,
    registration: settings.registration,
  };
}

/** The name of a link row's input: `navigation.2.label`. */
export function linkFieldName(list: LinkListName, index: number, part: keyof LinkRow): string {
  return `${list}.${index}.${part}`;
}

/** Far more rows than any list may hold: a forged form cannot make the parse walk without end. */
const MAX_ROWS_READ = 100;

function rowsOf(body: BodyData, list: LinkListName): LinkRow[] {
  const rows = new Map<number, LinkRow>();
  const pattern = new RegExp(`^${list}\\.(\\d{1,3})\\.(label|url)$`);
  for (const [name, value] of Object.entries(body)) {
    const match = pattern.exec(name);
    if (!match || typeof value !== 'string') continue;
    const index = Number(match[1]);
    if (index >= MAX_ROWS_READ) continue;
    const row = rows.get(index) ?? { label: '', url: '' };
    row[match[2] as keyof LinkRow] = value;
    rows.set(index, row);
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/** The values a submitted form carries (a missing field reads as empty, which validation then refuses). */
export function readSettingsForm(body: BodyData): SettingsFormValues {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const image = (name: ImageField) => (text(`${name}Remove`) === 'on' ? '' : text(name));
  return {
    title: text('title'),
    description: text('description'),
    locale: text('locale'),
    timeZone: text('timeZone'),
    accentColor: text('accentColor'),
    logo: image('logo'),
    icon: image('icon'),
    navigation: rowsOf(body, 'navigation'),
    footer: text('footer').replace(/\r\n/g, '\n'),
    socialLinks: rowsOf(body, 'socialLinks'),
    postsPerPage: text('postsPerPage'),
    comments: text('comments'),
    firstCommentModeration: text('firstCommentModeration') === 'on',
    registration: text('registration'),
  };
}

/** What the pressed button asks for: saving, or one edit of a list that re-renders the form unsaved. */
export type FormEdit =
  | { kind: 'save' }
  | { kind: 'add'; list: LinkListName }
  | { kind: 'remove' | 'up' | 'down'; list: LinkListName; index: number }
  | { kind: 'page' };

/** The `edit` button's value: `save` (or none: Enter in a field), `navigation:add`, `socialLinks:up:2`, `page`. */
export function parseEdit(value: unknown): FormEdit {
  if (typeof value !== 'string' || value === 'save') return { kind: 'save' };
  if (value === 'page') return { kind: 'page' };
  const match = /^(navigation|socialLinks):(add|remove|up|down)(?::(\d{1,3}))?$/.exec(value);
  if (!match) return { kind: 'save' };
  const list = match[1] as LinkListName;
  if (match[2] === 'add') return { kind: 'add', list };
  if (match[3] === undefined) return { kind: 'save' };
  return { kind: match[2] as 'remove' | 'up' | 'down', list, index: Number(match[3]) };
}

/** The form's values after one list edit (a new object; out-of-range moves change nothing). */
export function applyEdit(values: SettingsFormValues, edit: FormEdit, picked?: LinkRow): SettingsFormValues {
  if (edit.kind === 'save') return values;
  if (edit.kind === 'page') {
    if (!picked) return values;
    const rows = [...values.navigation];
    // A blank row added for it is filled; otherwise the link goes at the end.
    const last = rows.at(-1);
    if (last && !last.label.trim() && !last.url.trim()) rows[rows.length - 1] = picked;
    else if (rows.length < LINK_LISTS.navigation) rows.push(picked);
    return { ...values, navigation: rows };
  }
  const rows = [...values[edit.list]];
  if (edit.kind === 'add') {
    if (rows.length < LINK_LISTS[edit.list]) rows.push({ label: '', url: '' });
  } else if (edit.index < rows.length) {
    const { index } = edit;
    if (edit.kind === 'remove') rows.splice(index, 1);
    const other = edit.kind === 'up' ? index - 1 : index + 1;
    if (edit.kind !== 'remove' && other >= 0 && other < rows.length) {
      [rows[index], rows[other]] = [rows[other]!, rows[index]!];
    }
  }
  return { ...values, [edit.list]: rows };
}

const isBlank = (row: LinkRow) => !row.label.trim() && !row.url.trim();

/** Saving drops the rows left entirely empty (an added row not filled in), as a person would expect. */
export function withoutBlankRows(values: SettingsFormValues): SettingsFormValues {
  return {
    ...values,
    navigation: values.navigation.filter((row) => !isBlank(row)),
    socialLinks: values.socialLinks.filter((row) => !isBlank(row)),
  };
}

/** The body for the settings schema: every field, typed as the API takes it. */
export function patchInputOf(values: SettingsFormValues): Record<string, unknown> {
  const count = values.postsPerPage.trim();
  return {
    ...values,
    logo: values.logo.trim() || null,
    icon: values.icon.trim() || null,
    postsPerPage: /^\d{1,6}$/.test(count) ? Number(count) : count,
  };
}

/**
 * One message per form field, named as the form names its inputs (`navigation.2.url`); a message about a whole
 * list (too many links) goes to the list.
 */
export function settingsFieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [field, index, part] = issue.path.map(String);
    if (!field) continue;
    const name = index !== undefined && part !== undefined ? `${field}.${index}.${part}` : field;
    const message = field === 'postsPerPage' ? `must be a whole number from 1 to ${MAX_POSTS_PER_PAGE}` : issue.message;
    errors[name] ??= message;
  }
  return errors;
}

/** The hidden field that carries what the form showed when it was opened (see `changedFields`). */
export const LOADED_FIELD = '_loaded';

/** What the form showed when it was opened, as the field `LOADED_FIELD` carries it. */
export function loadedStateOf(values: SettingsFormValues): string {
  return JSON.stringify(patchInputOf(values));
}

/**
 * The fields of `input` that differ from what the form showed when it was opened, so that a save sends only the
 * admin's own changes and merges like a PATCH: two admins editing different fields at once both keep theirs. Without a
 * readable record of the opened form (a hand-made post) every field counts as changed, as before.
 */
export function changedFields(input: Record<string, unknown>, loaded: unknown): Record<string, unknown> {
  let before: unknown;
  try {
    before = typeof loaded === 'string' ? JSON.parse(loaded) : undefined;
  } catch {
    before = undefined;
  }
  if (typeof before !== 'object' || before === null || Array.isArray(before)) return input;
  const opened = before as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(input).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(opened[field])),
  );
}

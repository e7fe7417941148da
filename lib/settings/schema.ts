// Site settings as zod schemas: what an admin may set (every field bounded), what the API shows, and how a stored
// document becomes settings again. The schema is the single source of the types, the validation of PATCH
// /api/settings and the admin form, and the OpenAPI document. The schemas are built on first use
// (settingsSchemas(); lib/settings/validation.ts names them): every page imports this module for its types and
// defaults, and building them was ~6 ms of each cold start, which a page served from the cache never needs.
import { z } from '@hono/zod-openapi';
import { isTimeZone } from '../zoned-time';

function isLocale(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

export const MAX_FOOTER_LENGTH = 2_000;
export const MAX_NAVIGATION_ITEMS = 12;
export const MAX_SOCIAL_LINKS = 10;
export const MAX_POSTS_PER_PAGE = 50;

function buildSettingsSchemas() {
  /** A link target: a path on this site, or an http(s) address elsewhere. */
  const LinkUrl = z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500)
    .refine(
      (url) => (url.startsWith('/') && !url.startsWith('//')) || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(url),
      'must be a path on this site (/about) or an http(s) address',
    )
    .openapi({ example: '/about' });

  const LinkLabel = z.string().trim().min(1, 'must not be empty').max(40).openapi({ example: 'About' });

  const NavigationItem = z.object({ label: LinkLabel, url: LinkUrl }).openapi('NavigationItem');

  const SocialLink = z
    .object({
      label: LinkLabel.openapi({ example: 'Mastodon' }),
      url: z
        .string()
        .trim()
        .max(500)
        .regex(/^https:\/\/[^\s/$.?#][^\s]*$/, 'must be an https:// address')
        .openapi({ example: 'https://mastodon.social/@ada' }),
    })
    .openapi('SocialLink');

  /** An image the site shows: one uploaded through /api/media (a /media/ path) or an https address. */
  const ImageUrl = z
    .string()
    .trim()
    .max(500)
    .regex(
      /^(\/media\/[0-9a-f]{64}\.(jpg|png|webp|gif)|https:\/\/[^\s/$.?#][^\s]*)$/,
      'must be an image uploaded here (/media/…) or an https:// address',
    )
    .openapi({ example: '/media/3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b.png' });

  const CommentPolicy = z.enum(['open', 'signedIn', 'off']).openapi({
    description:
      '`open`: every account may comment, also readers who have not confirmed their address yet; `signedIn`: only ' +
      'accounts in good standing (readers must have confirmed their address); `off`: no new comments (threads stay ' +
      'visible).',
  });

  /** Every field an admin can set, with its bounds. */
  const settingsFields = {
    title: z.string().trim().min(1, 'must not be empty').max(80).openapi({ example: 'lembas' }),
    description: z.string().trim().max(300).openapi({ example: 'Notes from the edge.' }),
    locale: z
      .string()
      .trim()
      .min(2)
      .max(35)
      .refine(isLocale, 'must be a language tag such as en-GB or fr')
      .openapi({ example: 'en-GB', description: 'BCP 47 language tag: the pages’ language and date format.' }),
    timeZone: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris')
      .openapi({ example: 'Europe/Paris', description: 'Dates on pages are shown in this zone.' }),
    accentColor: z
      .string()
      .trim()
      .max(7)
      .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #2f6f4f')
      .transform((colour) => colour.toLowerCase())
      .openapi({ example: '#2f6f4f', description: 'Links, buttons and the browser’s theme colour.' }),
    logo: ImageUrl.nullable().openapi({ description: 'Shown in the header beside the title; null for none.' }),
    icon: ImageUrl.nullable().openapi({ description: 'The favicon; null for the default.' }),
    navigation: z
      .array(NavigationItem)
      .max(MAX_NAVIGATION_ITEMS)
      .openapi({ description: 'Links in the header, in this order.' }),
    footer: z
      .string()
      .max(MAX_FOOTER_LENGTH)
      .openapi({ description: 'Short markdown under every page; rendered and sanitized when saved.' }),
    socialLinks: z.array(SocialLink).max(MAX_SOCIAL_LINKS).openapi({ description: 'Shown with rel="me".' }),
    postsPerPage: z
      .number()
      .int()
      .min(1)
      .max(MAX_POSTS_PER_PAGE)
      .openapi({ example: 10, description: 'Posts on the home page.' }),
    comments: CommentPolicy,
    firstCommentModeration: z
      .boolean()
      .openapi({ description: 'A reader’s first comment waits in the moderation queue until an editor restores it.' }),
    registration: z.enum(['open', 'closed']).openapi({ description: 'Whether visitors may create accounts.' }),
  };

  /** The settings as the site uses them: every field present, plus the footer as sanitized HTML. */
  const SiteSettings = z
    .object({ ...settingsFields, footerHtml: z.string().openapi({ description: 'The footer, rendered.' }) })
    .openapi('SiteSettings');

  /** What anyone may read: everything but the moderation rule and the footer's source. */
  const PublicSettings = SiteSettings.omit({ firstCommentModeration: true, footer: true }).openapi('PublicSettings');

  /** PATCH /api/settings: any subset of the fields; unknown fields are refused rather than silently dropped. */
  const SettingsPatch = z.strictObject(settingsFields).partial().openapi('SettingsPatch');

  return { NavigationItem, SocialLink, CommentPolicy, settingsFields, SiteSettings, PublicSettings, SettingsPatch };
}

type SettingsSchemas = ReturnType<typeof buildSettingsSchemas>;
let built: SettingsSchemas | undefined;

/** The settings schemas, built on the first call. */
export function settingsSchemas(): SettingsSchemas {
  return (built ??= buildSettingsSchemas());
}

export type NavigationItem = z.infer<SettingsSchemas['NavigationItem']>;
export type SocialLink = z.infer<SettingsSchemas['SocialLink']>;
export type CommentPolicy = z.infer<SettingsSchemas['CommentPolicy']>;
export type SiteSettings = z.infer<SettingsSchemas['SiteSettings']>;
export type PublicSettings = z.infer<SettingsSchemas['PublicSettings']>;
export type SettingsPatch = z.infer<SettingsSchemas['SettingsPatch']>;

/** The stored document: the fields an admin has set (and the footer's rendering). */
export type StoredSettings = Partial<SettingsPatch> & { footerHtml?: string };

/** Defaults where the wrangler vars say nothing. */
export const BUILT_IN_DEFAULTS = {
  locale: 'en-GB',
  timeZone: 'UTC',
  accentColor: '#2f6f4f',
  postsPerPage: 10,
} as const;

/**
 * Settings from a stored document over the defaults. A stored field that no longer passes the schema (bounds
 * tightened since it was saved) falls back to its default instead of breaking every page.
 */
export function resolveSettings(stored: unknown, defaults: SiteSettings): SiteSettings {
  const document = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const resolved: Record<string, unknown> = { ...defaults };
  for (const [name, schema] of Object.entries(settingsSchemas().settingsFields)) {
    if (!(name in document)) continue;
    const parsed = schema.safeParse(document[name]);
    if (parsed.success) resolved[name] = parsed.data;
  }
  if ('footer' in document && typeof document.footerHtml === 'string' && resolved.footer === document.footer) {
    resolved.footerHtml = document.footerHtml;
  }
  return resolved as SiteSettings;
}

export function toPublicSettings(settings: SiteSettings): PublicSettings {
  const { firstCommentModeration: _moderation, footer: _source, ...rest } = settings;
  return rest;
}

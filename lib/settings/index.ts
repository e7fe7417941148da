// The site settings as the product uses them: read once per request (through the cache, or inside a page's own
// database batch on a page miss, so a cached page costs nothing extra), and saved by admins, which drops every
// cached page, feed and the sitemap at once.
import { hasRole } from '../auth/roles';
import { readThrough } from '../cache';
import { cacheKeys, invalidateSiteSettings } from '../cache-keys';
import { timed, type Deps } from '../context';
import type { BatchPart } from '../db/batch';
import { getStoredSettings, mergeStoredSettings, storedSettingsPart } from '../db/settings';
import type { Config } from '../env';
import { AppError } from '../errors';
import { MarkdownError } from '../markdown';
import type { AuthUser } from '../schemas/user';
import { footerHtmlOf } from './footer';
import { BUILT_IN_DEFAULTS, resolveSettings, type SettingsPatch, type SiteSettings } from './schema';

export * from './schema';

const defaultsByConfig = new WeakMap<Config, SiteSettings>();

/** What a site shows before an admin changes anything: the wrangler vars, then built-in defaults. */
export function defaultSettings(config: Config): SiteSettings {
  let defaults = defaultsByConfig.get(config);
  if (!defaults) {
    defaults = settingsTitled(config.SITE_NAME, config.SITE_DESCRIPTION);
    defaultsByConfig.set(config, defaults);
  }
  return defaults;
}

/** The built-in defaults under a title and description. */
export function settingsTitled(title: string, description: string): SiteSettings {
  return {
    title,
    description,
    ...BUILT_IN_DEFAULTS,
    logo: null,
    icon: null,
    navigation: [],
    footer: '',
    footerHtml: '',
    socialLinks: [],
    comments: 'open',
    firstCommentModeration: false,
    registration: 'open',
  };
}

// One read per request whichever way it came (a page's batch or the cache): keyed by the request's Deps.
const perRequest = new WeakMap<Deps, Promise<SiteSettings>>();

/**
 * The settings for this request. Through the cache (one Upstash read on a hit), unless this request's page batch
 * has already brought them; every later call in the request reuses the first answer.
 */
export function readSettings(deps: Deps): Promise<SiteSettings> {
  let settings = perRequest.get(deps);
  if (!settings) {
    settings = readThrough(deps.cache, cacheKeys.settings(), () => loadSettings(deps)).then(
      ({ value }) => value ?? defaultSettings(deps.config),
    );
    perRequest.set(deps, settings);
  }
  return settings;
}

/** From the primary: a lagging replica could refill the cache with settings from before a save. */
export async function loadSettings(deps: Deps): Promise<SiteSettings> {
  const stored = await timed(deps, 'db', () => getStoredSettings(deps.sql));
  return resolveSettings(stored, defaultSettings(deps.config));
}

/**
 * The settings as one part of a page's database batch (lib/db/batch.ts), so a page miss reads them in the round
 * trip it makes anyway; the answer also serves the rest of the request.
 */
export function settingsPart(deps: Deps): BatchPart<SiteSettings> {
  const part = storedSettingsPart(deps.sql);
  return {
    queries: part.queries,
    decode: (results) => {
      const settings = resolveSettings(part.decode(results), defaultSettings(deps.config));
      perRequest.set(deps, Promise.resolve(settings));
      return settings;
    },
  };
}

/**
 * Saves the fields of `patch` (admins only), all or nothing: the footer is rendered and sanitized first (a
 * footer the renderer refuses is a 422 and nothing is saved), then one statement merges every field.
 */
export async function updateSettings(deps: Deps, actor: AuthUser, patch: SettingsPatch): Promise<SiteSettings> {
  if (!hasRole(actor, 'admin')) throw new AppError('forbidden', 'Only admins can change the site settings.');
  const fields: Record<string, unknown> = { ...patch };
  if (patch.footer !== undefined) fields.footerHtml = await renderFooter(patch.footer);
  const stored = await timed(deps, 'db', () => mergeStoredSettings(deps.sql, fields));
  await invalidateSiteSettings(deps.cache);
  const settings = resolveSettings(stored, defaultSettings(deps.config));
  perRequest.set(deps, Promise.resolve(settings));
  return settings;
}

async function renderFooter(markdown: string): Promise<string> {
  try {
    return await footerHtmlOf(markdown);
  } catch (error) {
    if (!(error instanceof MarkdownError)) throw error;
    throw new AppError('validation_failed', 'The footer could not be rendered.', {
      errors: [{ path: 'body.footer', message: error.message }],
    });
  }
}

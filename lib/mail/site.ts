// The blog a message speaks for, and absolute links into it (mail is read far from the site, so no relative URLs).
import type { Deps } from '../context';
import type { Config } from '../env';
import { readSettings } from '../settings';
import type { MailSite } from './layout';

export function mailSiteOf(config: Config): MailSite {
  return { name: config.SITE_NAME, url: config.SITE_URL.replace(/\/+$/, '') };
}

/**
 * The blog as its settings name it (the title an admin chose; SITE_NAME until then). The settings read is the
 * request's own (one cache read, shared with every other read of them in the request).
 */
export async function mailSiteFor(deps: Deps): Promise<MailSite> {
  const settings = await readSettings(deps);
  return { ...mailSiteOf(deps.config), name: settings.title };
}

/** An absolute address on the site: `siteLink(config, '/reset', { token })`. */
export function siteLink(config: Config, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, `${mailSiteOf(config).url}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

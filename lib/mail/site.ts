// The blog a message speaks for, and absolute links into it (mail is read far from the site, so no relative URLs).
import type { Config } from '../env';
import type { MailSite } from './layout';

export function mailSiteOf(config: Config): MailSite {
  return { name: config.SITE_NAME, url: config.SITE_URL.replace(/\/+$/, '') };
}

/** An absolute address on the site: `siteLink(config, '/reset', { token })`. */
export function siteLink(config: Config, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, `${mailSiteOf(config).url}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

// IndexNow (https://www.indexnow.org): search engines that take part are told which URLs changed, so they recrawl
// them soon instead of some day. Off unless INDEXNOW_KEY is set; the key file is served at /{key}.txt, which proves
// the site owns the key. A failure is logged and dropped: search engines catch up on their own.
import type { Config } from './env';

/** At most this many URLs per request (the protocol allows 10,000). */
const MAX_URLS = 10_000;

/** Sends the URLs in one request; true when the endpoint accepted them (200 or 202). */
export async function submitToIndexNow(
  config: Pick<Config, 'INDEXNOW_KEY' | 'INDEXNOW_ENDPOINT' | 'SITE_URL'>,
  urls: string[],
  fetcher: typeof fetch = fetch,
): Promise<boolean> {
  const key = config.INDEXNOW_KEY;
  const unique = [...new Set(urls)].slice(0, MAX_URLS);
  if (!key || unique.length === 0) return false;
  const site = new URL(config.SITE_URL);
  try {
    const response = await fetcher(config.INDEXNOW_ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        host: site.host,
        key,
        keyLocation: new URL(`/${key}.txt`, site).toString(),
        urlList: unique,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (response.status === 200 || response.status === 202) return true;
    console.warn(`[indexnow] ${unique.length} URLs refused: ${response.status}`);
  } catch (error) {
    console.warn(`[indexnow] ${unique.length} URLs not sent`, error);
  }
  return false;
}

/** The body of /{key}.txt, or null when the path is not the key's file. */
export function indexNowKeyFile(config: Pick<Config, 'INDEXNOW_KEY'>, fileName: string): string | null {
  const key = config.INDEXNOW_KEY;
  return key && fileName === `${key}.txt` ? key : null;
}

// Reading the local mailbox (dev/standins/mailbox.ts) that the Worker's mail goes to in tests.
import { env } from 'cloudflare:test';
import type { StoredMessage } from '../dev/standins/mailbox-message';

export type { StoredMessage };

function mailboxUrl(path: string): string {
  if (!env.MAIL_CAPTURE_URL) throw new Error('MAIL_CAPTURE_URL is not set: the tests expect the local mailbox');
  return new URL(path, env.MAIL_CAPTURE_URL).toString();
}

/** Every message to this address, newest first. */
export async function mailTo(address: string): Promise<StoredMessage[]> {
  const response = await fetch(mailboxUrl(`/messages?to=${encodeURIComponent(address)}`));
  return response.json<StoredMessage[]>();
}

/** The newest message to this address; fails the test when there is none. */
export async function latestMailTo(address: string): Promise<StoredMessage> {
  const [latest] = await mailTo(address);
  if (!latest) throw new Error(`no mail to ${address}`);
  return latest;
}

/** From now on, the mailbox refuses mail to this address as Email Service would refuse an undeliverable one. */
export async function failMailTo(address: string, code = 'E_DELIVERY_FAILED'): Promise<void> {
  await fetch(mailboxUrl('/failures'), { method: 'POST', body: JSON.stringify({ to: address, code }) });
}

/** The first link in the message's plain-text part whose path starts with `path` (the HTML part carries it too). */
export function linkIn(message: StoredMessage, path: string): URL {
  for (const match of message.text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = new URL(match[0]);
    if (url.pathname.startsWith(path)) {
      if (!message.html.includes(url.toString().replaceAll('&', '&amp;')))
        throw new Error(`${url} is not in the HTML part`);
      return url;
    }
  }
  throw new Error(`no ${path} link in: ${message.text}`);
}

// One-click unsubscribe links (RFC 8058) that work without signing in: the URL carries who and what, and an HMAC of
// both under JWT_SECRET, so nobody can unsubscribe someone else, and nothing needs storing. The List-Unsubscribe
// headers every notification carries point at the same URL.
import { hmacBase64Url, textsMatch } from '../digest';

/** The signature for a subject such as `user:42:comments` (who, and what they stop receiving). */
export function signUnsubscribe(secret: string, subject: string): Promise<string> {
  return hmacBase64Url(secret, `unsubscribe:${subject}`);
}

/** Constant-time check of a presented signature. */
export async function unsubscribeSignatureMatches(
  secret: string,
  subject: string,
  presented: string,
): Promise<boolean> {
  return textsMatch(await signUnsubscribe(secret, subject), presented);
}

/** The headers that let a mail client unsubscribe in one click (a POST to `url`, no sign-in, no page). */
export function oneClickUnsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

// One-click unsubscribe links (RFC 8058) that work without signing in: the URL carries who and what, and an HMAC of
// both under JWT_SECRET, so nobody can unsubscribe someone else, and nothing needs storing. The List-Unsubscribe
// headers every notification carries point at the same URL.

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`unsubscribe:${text}`)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The signature for a subject such as `user:42:comments` (who, and what they stop receiving). */
export function signUnsubscribe(secret: string, subject: string): Promise<string> {
  return hmac(secret, subject);
}

/** Constant-time check of a presented signature. */
export async function unsubscribeSignatureMatches(
  secret: string,
  subject: string,
  presented: string,
): Promise<boolean> {
  const expected = await hmac(secret, subject);
  if (presented.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ presented.charCodeAt(i);
  return diff === 0;
}

/** The headers that let a mail client unsubscribe in one click (a POST to `url`, no sign-in, no page). */
export function oneClickUnsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

// Digests and MACs through WebCrypto: token and account hashes, Redis script SHAs, image content addresses, and the
// signatures of CSRF tokens and unsubscribe links.
import { toBase64Url } from './base64';

export async function hexDigest(algorithm: 'SHA-1' | 'SHA-256', data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest(algorithm, bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** HMAC-SHA256 of `message` under `secret`, URL-safe base64: a signature that can travel in a link or a form. */
export async function hmacBase64Url(secret: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message))));
}

/** Constant-time comparison, so the time a wrong value takes to refuse says nothing about the right one. */
export function textsMatch(expected: string, presented: string): boolean {
  if (presented.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ presented.charCodeAt(i);
  return diff === 0;
}

// Hex digests through WebCrypto: token and account hashes, Redis script SHAs, and image content addresses.

export async function hexDigest(algorithm: 'SHA-1' | 'SHA-256', data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest(algorithm, bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

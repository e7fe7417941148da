// Password hashing with PBKDF2-SHA256 through WebCrypto, the only slow KDF the Workers runtime offers natively.
//
// Production workerd refuses more than 100,000 iterations (NotSupportedError) while local workerd has no cap, so
// the count is pinned here and by a test. 100k costs ~14-35 ms CPU: fine on the paid plan, over the free plan's
// 10 ms budget. Parameters travel with each hash so they can be raised later and old hashes rehashed on login.

export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;
const SCHEME = 'pbkdf2-sha256';

export interface HashOptions {
  /** Server-side secret mixed in with HMAC before stretching, so a stolen table alone cannot be cracked. */
  pepper?: string;
  iterations?: number;
}

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

async function peppered(password: string, pepper: string | undefined): Promise<Uint8Array> {
  const raw = encoder.encode(password.normalize('NFKC'));
  if (!pepper) return raw;
  const key = await crypto.subtle.importKey('raw', encoder.encode(pepper), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, raw));
}

async function derive(password: Uint8Array, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, KEY_BITS);
  return new Uint8Array(bits);
}

/** Returns `pbkdf2-sha256$i=<iterations>,p=<0|1>$<salt>$<hash>`. */
export async function hashPassword(
  password: string,
  { pepper, iterations = PBKDF2_ITERATIONS }: HashOptions = {},
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(await peppered(password, pepper), salt, iterations);
  return `${SCHEME}$i=${iterations},p=${pepper ? 1 : 0}$${toBase64(salt)}$${toBase64(hash)}`;
}

interface ParsedHash {
  iterations: number;
  peppered: boolean;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parseHash(stored: string): ParsedHash | null {
  const match = /^pbkdf2-sha256\$i=(\d+),p=([01])\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) return null;
  return {
    iterations: Number(match[1]),
    peppered: match[2] === '1',
    salt: fromBase64(match[3] ?? ''),
    hash: fromBase64(match[4] ?? ''),
  };
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export interface VerifyResult {
  valid: boolean;
  /** The hash was made with other parameters than today's; store a fresh one. */
  needsRehash: boolean;
}

export async function verifyPassword(
  password: string,
  stored: string,
  { pepper }: HashOptions = {},
): Promise<VerifyResult> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.iterations > PBKDF2_ITERATIONS) return { valid: false, needsRehash: false };
  if (parsed.peppered && !pepper) return { valid: false, needsRehash: false };
  const candidate = await derive(
    await peppered(password, parsed.peppered ? pepper : undefined),
    parsed.salt,
    parsed.iterations,
  );
  const valid = constantTimeEqual(candidate, parsed.hash);
  const needsRehash = valid && (parsed.iterations !== PBKDF2_ITERATIONS || parsed.peppered !== Boolean(pepper));
  return { valid, needsRehash };
}

/**
 * Spends the same time as a real verification, for logins naming an unknown account, so response timing
 * does not reveal which emails are registered.
 */
export async function burnVerification(password: string): Promise<void> {
  await derive(encoder.encode(password), new Uint8Array(SALT_BYTES), PBKDF2_ITERATIONS);
}

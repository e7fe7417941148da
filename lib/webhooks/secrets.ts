// Webhook signing secrets at rest. A secret must be read back to sign each delivery, so it cannot be stored as a
// hash (as session tokens are); it is encrypted with AES-256-GCM under a key derived (HKDF) from
// WEBHOOK_ENCRYPTION_KEY, or from JWT_SECRET when that is not set. A copy of the database alone then yields no
// secret. Changing the key makes stored secrets unreadable: those endpoints are registered again.
import { fromBase64, toBase64 } from '../base64';
import type { Config } from '../env';

const encoder = new TextEncoder();
const keys = new WeakMap<Config, Promise<CryptoKey>>();

function keyFor(config: Config): Promise<CryptoKey> {
  let key = keys.get(config);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey(
        'raw',
        encoder.encode(config.WEBHOOK_ENCRYPTION_KEY ?? config.JWT_SECRET),
        'HKDF',
        false,
        ['deriveKey'],
      );
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('lembas webhook secrets v1') },
        material,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })();
    keys.set(config, key);
  }
  return key;
}

/** `v1.<iv>.<ciphertext>`, base64 parts; a new random IV each time. */
export async function encryptSecret(config: Config, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyFor(config), encoder.encode(secret));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** The secret, or null when it was sealed under another key (or the text is damaged). */
export async function decryptSecret(config: Config, stored: string): Promise<string | null> {
  const [version, iv, sealed] = stored.split('.');
  if (version !== 'v1' || !iv || !sealed) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv) },
      await keyFor(config),
      fromBase64(sealed),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

// Tokens mailed to people (reset a password, check an address, confirm a new one): 256 random bits, of which only a
// SHA-256 is stored, as for sessions (lib/auth/sessions.ts): a copy of the table resets no password. A fast hash is
// enough because the token is random, not a guessable password.
import { generateRefreshToken, hashRefreshToken } from './sessions';

/** How long each mailed link works. */
export const ACCOUNT_TOKEN_SECONDS = {
  password_reset: 60 * 60,
  verify_email: 7 * 86_400,
  change_email: 24 * 60 * 60,
} as const;

/** base64url of 32 random bytes: 43 characters. Anything else cannot be a token and is refused unhashed. */
export const ACCOUNT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface NewAccountToken {
  /** What the link carries. */
  token: string;
  /** What the database keeps. */
  tokenHash: string;
}

export async function newAccountToken(): Promise<NewAccountToken> {
  const token = generateRefreshToken();
  return { token, tokenHash: await hashAccountToken(token) };
}

export function hashAccountToken(token: string): Promise<string> {
  return hashRefreshToken(token);
}

// Signs access tokens for test users directly, so post and tag tests need not go through login.
import { env } from 'cloudflare:test';
import { issueAccessToken } from '../lib/auth/tokens';
import type { Role } from '../lib/schemas/user';

export async function bearer(user: { id: number; role: Role }): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await issueAccessToken(env.JWT_SECRET as string, user)}` };
}

export function jsonRequest(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

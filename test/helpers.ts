// Test helpers: call the Worker as workerd would (waiting for waitUntil work), and seed data through lib/db.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../functions/index';
import { hashPassword } from '../lib/auth/password';
import { issueAccessToken } from '../lib/auth/tokens';
import { createDeps, type Deps } from '../lib/context';
import { insertPost, type NewPost } from '../lib/db/posts';
import { insertUser, type UserRecord } from '../lib/db/users';
import { loadConfig } from '../lib/env';
import { renderMarkdown } from '../lib/markdown';
import type { Role } from '../lib/schemas/user';

/** Sends a request through the Worker's fetch handler and waits for its background work (cache fills). */
export async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(new URL(path, 'https://blog.example'), init), env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function testDeps(): Deps {
  return createDeps(loadConfig(env), { waitUntil: () => {} });
}

let counter = 0;
/** Unique per call and per run, so tests never depend on each other's rows. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

// Hashing at full cost in every test would dominate the suite; the iteration count is pinned in password tests.
const FAST_ITERATIONS = 1_000;

export async function createUser(
  overrides: Partial<{ role: Role; password: string; displayName: string }> = {},
): Promise<UserRecord & { password: string }> {
  const name = unique('user').replaceAll('-', '_').slice(0, 32);
  const password = overrides.password ?? 'correct horse battery staple';
  const user = await insertUser(testDeps().sql, {
    email: `${name}@example.com`,
    username: name,
    displayName: overrides.displayName ?? `User ${name}`,
    role: overrides.role ?? 'author',
    passwordHash: await hashPassword(password, { iterations: FAST_ITERATIONS }),
  });
  return { ...user, password };
}

export async function createPost(
  overrides: Partial<Omit<NewPost, 'html' | 'toc' | 'excerpt' | 'readingMinutes'>> = {},
): Promise<{ id: number; slug: string }> {
  const markdown = overrides.markdown ?? '# Hello\n\nA test post body with **bold** text.\n\n## Part one\n\nMore.';
  const rendered = await renderMarkdown(markdown);
  const authorId = overrides.authorId ?? (await createUser()).id;
  return insertPost(testDeps().sql, {
    slug: overrides.slug ?? unique('post'),
    title: overrides.title ?? 'A test post',
    markdown,
    html: rendered.html,
    toc: rendered.toc,
    excerpt: rendered.excerpt,
    readingMinutes: rendered.readingMinutes,
    status: overrides.status ?? 'published',
    publishedAt: overrides.publishedAt === undefined ? new Date().toISOString() : overrides.publishedAt,
    authorId,
    tags: overrides.tags ?? [],
    type: overrides.type,
  });
}

// --- Accounts: tokens, JSON requests and unique client addresses. ---

/** An access token for a user, issued exactly as /api/auth/login issues one (no password hashing, no rate limit). */
export async function tokenFor(user: { id: number; role: Role }): Promise<string> {
  return issueAccessToken(loadConfig(env).JWT_SECRET, user);
}

/** The Authorization header for a user: `call(path, { headers: await bearer(user) })`. */
export async function bearer(user: { id: number; role: Role }): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await tokenFor(user)}` };
}

/** A user of the given role and the headers that sign requests in as them. */
export async function signedIn(
  role: Role = 'reader',
): Promise<{ user: UserRecord & { password: string }; token: string; headers: Record<string, string> }> {
  const user = await createUser({ role });
  const token = await tokenFor(user);
  return { user, token, headers: { Authorization: `Bearer ${token}` } };
}

/**
 * A random CF-Connecting-IP in a /64 of its own (limits count IPv6 clients by /64), so no test's attempts count
 * against another's, even across test files sharing one run's Redis namespace.
 */
export function uniqueIp(): string {
  const words = [...crypto.getRandomValues(new Uint16Array(3))].map((w) => w.toString(16));
  return `fd00:${words.join(':')}::1`;
}

/** A JSON request: `call(path, jsonRequest('POST', body, headers))`. */
export function jsonRequest(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Signs in through POST /api/auth/login from a fresh IP; returns the response and its parsed JSON. */
export async function logInAs(
  user: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<{ response: Response; body: Record<string, any> }> {
  const response = await call(
    '/api/auth/login',
    jsonRequest('POST', { email: user.email, password: user.password }, { 'CF-Connecting-IP': uniqueIp(), ...headers }),
  );
  return { response, body: await response.json<Record<string, any>>() };
}

/**
 * Waits, when fewer than `needMs` are left, for the next boundary of an epoch-aligned window of `windowMs`.
 * @upstash/ratelimit's sliding window weighs the previous window's count down as the current one fills, so attempts
 * that straddle a boundary count as fewer than they were, and a test of the exact limit would pass or fail by the
 * clock.
 */
export async function awaitWholeWindow(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

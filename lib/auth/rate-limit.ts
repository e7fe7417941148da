// Brute-force limits for sign-in, sign-up and the mail they send, counted in Redis with @upstash/ratelimit (sliding windows, one Lua
// script per check). Every limit lives in `rateLimits`, so operators and tests read the numbers from one place.
//
// Every check that answered is also reported (deps.rateLimited) as the IETF RateLimit-Policy / RateLimit header
// fields (draft-ietf-httpapi-ratelimit-headers), from the same limiter result: a client can slow down before a 429.
//
// Limiting fails CLOSED: if Redis cannot be reached (or does not answer in time) the attempt is refused with 503.
// Failing open would hand an attacker unlimited password guesses whenever the cache is down or made slow.
import type { Duration, Ratelimit } from '@upstash/ratelimit';
import type { Deps } from '../context';
import { AppError } from '../errors';
import { hexDigest } from '../digest';

export interface RateLimitRule {
  tokens: number;
  window: Duration;
}

export const rateLimits = {
  /** Sign-in attempts from one IP address, whatever the account. */
  loginPerIp: { tokens: 10, window: '1 m' },
  /** Sign-in attempts at one account from one IP address: the tight limit on a guesser. */
  loginPerAccountFromIp: { tokens: 5, window: '15 m' },
  /**
   * Sign-in attempts at one account from anywhere: the ceiling on a distributed guesser (120 tries an hour). It is
   * looser than the per-address limit so that a stranger's five bad guesses do not lock the owner out.
   */
  loginPerAccount: { tokens: 30, window: '15 m' },
  /** Current-password checks when changing a password: a session thief must not guess faster than a sign-in. */
  passwordCheckPerAccount: { tokens: 5, window: '15 m' },
  /** New accounts from one IP address. */
  registerPerIp: { tokens: 5, window: '1 h' },
  /** One comment per reader per 15 seconds: the "too fast" rule. */
  commentPace: { tokens: 1, window: '15 s' },
  /** Comments per reader per hour. */
  commentsPerUser: { tokens: 30, window: '1 h' },
  /** Comments from one address per 10 minutes (several readers behind one address share it). */
  commentsPerIp: { tokens: 20, window: '10 m' },
  /** Password-reset requests from one IP address, whatever the email. */
  passwordResetPerIp: { tokens: 10, window: '1 h' },
  /**
   * Reset mails to one email address (keyed like sign-in's per-account limit, whether or not an account uses it):
   * nobody can flood a mailbox through the form, and a handful of tries covers a slow inbox.
   */
  passwordResetPerAccount: { tokens: 3, window: '1 h' },
  /** New passwords set with a reset token from one IP address (each costs a password hash). */
  passwordResetConfirmPerIp: { tokens: 20, window: '1 h' },
  /** Address-check and address-change mails for one account (sign-up, "send it again", a new address). */
  accountMailPerAccount: { tokens: 5, window: '1 h' },
  /** Newsletter sign-ups from one IP address (each mails someone), whatever the address. */
  subscribePerIp: { tokens: 10, window: '1 h' },
  /** Newsletter mails to one address (keyed like the reset limit): the form cannot flood a mailbox. */
  subscribePerAddress: { tokens: 3, window: '1 h' },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof rateLimits;

/** How long a check may wait for Redis before the attempt is refused as unavailable. */
const CHECK_TIMEOUT_MS = 3_000;

/** The seconds a 503 asks the client to wait before trying again. */
const UNAVAILABLE_RETRY_SECONDS = 30;

export interface RateLimitCheck {
  rule: RateLimitName;
  /** An IP address or an account key; see accountKey(). */
  identifier: string;
}

/** What one limiter said: its verdict, or the error that kept it from giving one. */
export type LimiterOutcome =
  { ok: true; success: boolean; reset: number; timedOut?: boolean } | { ok: false; error: unknown };

/** What one limit said about one attempt, as a client is told it in the RateLimit header fields. */
export interface RateLimitState {
  policy: RateLimitName;
  /** Attempts allowed per window. */
  quota: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
}

export type RateLimitDecision =
  | { action: 'allow' }
  | { action: 'limit'; retryAfterSeconds: number }
  | { action: 'unavailable'; retryAfterSeconds: number };

/** Pure: every limiter must have answered, and said yes, for an attempt to go ahead. */
export function decideRateLimit(outcomes: LimiterOutcome[], now = Date.now()): RateLimitDecision {
  if (outcomes.some((o) => !o.ok || o.timedOut))
    return { action: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS };
  const refused = outcomes.filter((o): o is Extract<LimiterOutcome, { ok: true }> => o.ok && !o.success);
  if (refused.length === 0) return { action: 'allow' };
  const latestReset = Math.max(...refused.map((o) => o.reset));
  return { action: 'limit', retryAfterSeconds: Math.max(1, Math.ceil((latestReset - now) / 1000)) };
}

type RatelimitClass = typeof Ratelimit;

function limiterFor(Ratelimit: RatelimitClass, deps: Deps, rule: RateLimitName): Ratelimit {
  const { tokens, window } = rateLimits[rule];
  return new Ratelimit({
    redis: deps.redis,
    limiter: Ratelimit.slidingWindow(tokens, window),
    prefix: `${deps.config.CACHE_NAMESPACE}:v1:ratelimit:${rule}`,
    // The library resolves a timed-out check as a success (fail open); we turn `reason: 'timeout'` into a refusal.
    timeout: CHECK_TIMEOUT_MS,
    // Its in-memory block list would live in one isolate only and outlast our per-request clients; Redis decides.
    ephemeralCache: false,
    analytics: false,
    enableTelemetry: false,
  });
}

async function runCheck(
  deps: Deps,
  { rule, identifier }: RateLimitCheck,
): Promise<{ outcome: LimiterOutcome; state?: RateLimitState }> {
  try {
    // Loaded on the first check rather than imported: the library's module evaluation was start-up CPU of every
    // isolate, most of which serve only reads and never count an attempt. A failed load fails closed, as below.
    const { Ratelimit } = await import('./ratelimit-library');
    const result = await limiterFor(Ratelimit, deps, rule).limit(identifier);
    const timedOut = result.reason === 'timeout';
    const outcome: LimiterOutcome = { ok: true, success: result.success, reset: result.reset, timedOut };
    // A timed-out check's numbers are the library's stand-ins, not Redis' count: nothing to tell the client.
    if (timedOut) return { outcome };
    const state: RateLimitState = {
      policy: rule,
      quota: result.limit,
      windowSeconds: windowSeconds(rateLimits[rule].window),
      remaining: result.remaining,
      resetSeconds: Math.max(0, Math.ceil((result.reset - Date.now()) / 1000)),
    };
    return { outcome, state };
  } catch (error) {
    return { outcome: { ok: false, error } };
  }
}

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Pure: a limiter window ('15 m', '1h', '15 s') in seconds. */
export function windowSeconds(window: Duration): number {
  const match = /^(\d+)\s?(ms|s|m|h|d)$/.exec(window);
  if (!match) throw new Error(`Not a rate limit window: ${window}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/**
 * Pure: the header fields of draft-ietf-httpapi-ratelimit-headers for the limits one request counted against, one
 * list item per limit: `RateLimit-Policy: "loginPerIp";q=10;w=60` (quota per window of w seconds) and
 * `RateLimit: "loginPerIp";r=9;t=41` (r left, the window ends in t seconds).
 */
export function rateLimitHeaderFields(states: RateLimitState[]): { 'RateLimit-Policy': string; RateLimit: string } {
  return {
    'RateLimit-Policy': states.map((s) => `"${s.policy}";q=${s.quota};w=${s.windowSeconds}`).join(', '),
    RateLimit: states.map((s) => `"${s.policy}";r=${s.remaining};t=${s.resetSeconds}`).join(', '),
  };
}

/**
 * Counts one attempt against each check (in parallel) and throws a 429 with `Retry-After` when any limit is
 * reached, or a 503 when Redis cannot say.
 */
export async function enforceRateLimits(deps: Deps, checks: RateLimitCheck[]): Promise<void> {
  const results = await Promise.all(checks.map((check) => runCheck(deps, check)));
  // In the order of the checks, not of the answers: a client reads the same list every time.
  for (const { state } of results) if (state) deps.rateLimited(state);
  const outcomes = results.map((result) => result.outcome);
  const decision = decideRateLimit(outcomes);
  if (decision.action === 'allow') return;
  const headers = { 'Retry-After': String(decision.retryAfterSeconds) };
  if (decision.action === 'unavailable') {
    for (const o of outcomes)
      if (!o.ok) deps.cache.log?.(`rate limiter unavailable, attempt refused: ${briefly(o.error)}`);
    throw new AppError(
      'unavailable',
      'Attempts cannot be counted right now, so this one is refused for safety. Try again shortly.',
      { headers },
    );
  }
  throw new AppError('rate_limited', `Too many attempts. Try again in ${decision.retryAfterSeconds} seconds.`, {
    headers,
    retryAfter: decision.retryAfterSeconds,
  });
}

// Upstash errors quote the whole command, here a 2 KB Lua script; the first clause says what went wrong.
function briefly(error: unknown): string {
  return String(error instanceof Error ? error.message : error)
    .split(', command was')[0]!
    .slice(0, 300);
}

/**
 * The per-account key: a hash of the normalised email, so Redis never holds addresses in clear text and
 * `Ada@Example.com` and `ada@example.com` share one budget.
 */
export function accountKey(email: string): Promise<string> {
  return hexDigest('SHA-256', email.trim().toLowerCase());
}

/**
 * The address a limit counts against: IPv4 as is; IPv6 by its /64 prefix, because one subscriber or server is
 * routinely handed a whole /64 and could otherwise step through fresh addresses for fresh budgets.
 */
export function rateLimitAddress(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? front : [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  const prefix = groups.slice(0, 4).map((group) => (Number.parseInt(group, 16) || 0).toString(16));
  return `${prefix.join(':')}::/64`;
}

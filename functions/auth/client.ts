// What the edge knows of the caller, for rate limits and session records.
import type { Context } from 'hono';
import type { ClientInfo } from '../../lib/auth/login';
import { rateLimitAddress } from '../../lib/auth/rate-limit';
import type { AppEnv } from '../../lib/env';

/**
 * CF-Connecting-IP is set by Cloudflare's edge, which overwrites any value a client sends. Requests without it
 * (only possible off Cloudflare, e.g. locally) share the 'unknown' budget.
 */
export function clientInfo(c: Context<AppEnv>): ClientInfo {
  const ip = c.req.header('CF-Connecting-IP');
  return { ip: ip ? rateLimitAddress(ip) : 'unknown', userAgent: c.req.header('User-Agent') ?? null };
}

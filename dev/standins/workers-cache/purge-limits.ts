// The limits ctx.cache.purge() works within. "Workers Caching always uses the Free tier limits" of the zone purge API
// (developers.cloudflare.com/workers/cache/limitations/#purge-rate-limits), which are "5 requests per minute",
// a token bucket of "25" and "100" operations per request (developers.cloudflare.com/cache/how-to/purge-cache/);
// "for cache purges, the maximum length of a cache-tag in an API call is 1,024 characters" and tags are printable
// ASCII without spaces (…/purge-cache/purge-by-tags/).

export const PURGE_LIMITS = {
  operationsPerCall: 100,
  bucketSize: 25,
  refillPerMinute: 5,
  tagLength: 1024,
} as const;

export interface PurgeRequest {
  tags?: string[];
  pathPrefixes?: string[];
  purgeEverything?: boolean;
}

export interface PurgeError {
  code: number;
  message: string;
}

/** Token bucket: a call takes one token; tokens come back at refillPerMinute, up to bucketSize. */
export class PurgeBucket {
  private tokens: number = PURGE_LIMITS.bucketSize;
  private updatedAt: number;

  constructor(
    private readonly enforced: boolean,
    private readonly clock: () => number = Date.now,
  ) {
    this.updatedAt = clock();
  }

  take(): boolean {
    if (!this.enforced) return true;
    const now = this.clock();
    this.tokens = Math.min(
      PURGE_LIMITS.bucketSize,
      this.tokens + ((now - this.updatedAt) / 60_000) * PURGE_LIMITS.refillPerMinute,
    );
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What is wrong with a purge call's body, or null; the codes are the stand-in's own, the shape is Cloudflare's. */
export function purgeRequestError(body: unknown): PurgeError | null {
  if (typeof body !== 'object' || body === null) return { code: 1000, message: 'purge() takes an options object' };
  const { tags, pathPrefixes, purgeEverything } = body as Record<string, unknown>;
  const list = (value: unknown) =>
    value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
  if (!list(tags) || !list(pathPrefixes) || (purgeEverything !== undefined && typeof purgeEverything !== 'boolean')) {
    return { code: 1000, message: 'tags and pathPrefixes are arrays of strings; purgeEverything is a boolean' };
  }
  const tagList = (tags as string[] | undefined) ?? [];
  const prefixList = (pathPrefixes as string[] | undefined) ?? [];
  if (tagList.length === 0 && prefixList.length === 0 && purgeEverything !== true) {
    return { code: 1001, message: 'purge() needs tags, pathPrefixes or purgeEverything' };
  }
  const operations = tagList.length + prefixList.length;
  if (operations > PURGE_LIMITS.operationsPerCall) {
    return {
      code: 1002,
      message: `a purge call takes at most ${PURGE_LIMITS.operationsPerCall} tags and prefixes (this one has ${operations})`,
    };
  }
  const badTag = tagList.find((tag) => !isValidTag(tag));
  if (badTag !== undefined) return { code: 1003, message: `not a valid cache tag: ${JSON.stringify(badTag)}` };
  const badPrefix = prefixList.find((prefix) => !prefix.startsWith('/'));
  if (badPrefix !== undefined) {
    return { code: 1004, message: `pathPrefixes are paths, not URLs: ${JSON.stringify(badPrefix)}` };
  }
  return null;
}

/** Printable ASCII (0x21–0x7E), no spaces, one to 1,024 characters. */
export function isValidTag(tag: string): boolean {
  return tag.length >= 1 && tag.length <= PURGE_LIMITS.tagLength && /^[\x21-\x7e]+$/.test(tag);
}

/** The Cache-Tag header(s) of a response as stored: comma-separated, trimmed, empty and invalid tags dropped. */
export function parseCacheTags(values: string[]): string[] {
  const tags = values.flatMap((value) => value.split(',')).map((tag) => tag.trim());
  return [...new Set(tags.filter(isValidTag))];
}

export const RATE_LIMITED: PurgeError = {
  code: 1429,
  message: `purge rate limited: ${PURGE_LIMITS.refillPerMinute} requests per minute, bursts of ${PURGE_LIMITS.bucketSize}`,
};

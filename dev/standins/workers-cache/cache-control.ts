// Which cache directives a response gives the Workers Cache stand-in, as Cloudflare reads them
// (developers.cloudflare.com/workers/cache/configuration/): "When multiple cache headers are present, the most
// specific wins: 1. cloudflare-cdn-cache-control … 2. cdn-cache-control … 3. Cache-Control".

export interface Directives {
  /** Names in lower case; a value without quotes, or null for a bare directive (`public`). */
  readonly map: ReadonlyMap<string, string | null>;
  has(name: string): boolean;
  seconds(name: string): number | undefined;
}

const PRECEDENCE = ['cloudflare-cdn-cache-control', 'cdn-cache-control', 'cache-control'] as const;

/** The directives of the most specific cache header present, or null when the response carries none. */
export function cacheDirectives(headers: Headers): Directives | null {
  for (const name of PRECEDENCE) {
    const value = headers.get(name);
    if (value !== null) return parseDirectives(value);
  }
  return null;
}

/** RFC 9111 §5.2: comma-separated `name[=value]`, a value possibly quoted (`private="set-cookie"`). */
export function parseDirectives(text: string): Directives {
  const map = new Map<string, string | null>();
  for (const match of text.matchAll(/\s*([^=,\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^,]*))?\s*(?:,|$)/g)) {
    const name = match[1]!.toLowerCase();
    if (map.has(name)) continue; // the first occurrence counts
    const raw = match[2];
    map.set(name, raw === undefined ? null : raw.startsWith('"') ? raw.slice(1, -1).trim() : raw.trim());
  }
  return {
    map,
    has: (name) => map.has(name),
    seconds(name) {
      const value = map.get(name);
      if (value === undefined || value === null || !/^\d+$/.test(value)) return undefined;
      return Number(value);
    },
  };
}

/** `private="set-cookie"` / `no-cache="set-cookie"`: the field is dropped from the stored copy, not the response. */
export function namesField(directives: Directives, directive: string, field: string): boolean {
  const value = directives.map.get(directive);
  return typeof value === 'string' && value.split(',').some((name) => name.trim().toLowerCase() === field);
}

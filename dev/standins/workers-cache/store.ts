// The Workers Cache stand-in's storage: one entry per cache key, holding a variant per distinct value of the
// request headers its response's Vary names, and the entry's tags (lower case: purging matches tags
// case-insensitively). "Variants share a single purge identity. Purging by tag or path prefix invalidates every
// variant of a URL together." (developers.cloudflare.com/workers/cache/configuration/#vary)
import type { Lifetimes } from './policy';

export interface StoredResponse {
  status: number;
  /** As the Worker sent them, less Cache-Tag and cloudflare-cdn-cache-control (and a Set-Cookie it asked to drop). */
  headers: [string, string][];
  body: Buffer;
  storedAt: number;
  lifetimes: Lifetimes;
}

interface Variant {
  /** The request's value of each header the response varies on (lower-case names), null when absent. */
  varyValues: Map<string, string | null>;
  response: StoredResponse;
}

interface Entry {
  path: string;
  tags: Set<string>;
  variants: Variant[];
}

/** A dev server's cache stays small; the oldest entries go first past this. */
const MAX_ENTRIES = 10_000;

export class CacheStore {
  private readonly entries = new Map<string, Entry>();

  lookup(key: string, requestHeaders: Headers): StoredResponse | null {
    const entry = this.entries.get(key);
    const variant = entry?.variants.find((v) => matches(v.varyValues, requestHeaders));
    return variant?.response ?? null;
  }

  /** Stores (or replaces) the variant this request selects; tags replace the entry's tags, as all variants share them. */
  put(key: string, path: string, requestHeaders: Headers, vary: string[], tags: string[], response: StoredResponse) {
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      entry = { path, tags: new Set(), variants: [] };
      this.entries.set(key, entry);
    }
    entry.tags = new Set(tags.map((tag) => tag.toLowerCase()));
    const varyValues = new Map(vary.map((name) => [name, requestHeaders.get(name)]));
    entry.variants = entry.variants.filter((v) => !sameValues(v.varyValues, varyValues));
    entry.variants.push({ varyValues, response });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Removes every entry carrying one of the tags or whose request path starts with one of the prefixes. */
  purge({ tags = [], pathPrefixes = [], everything = false }: PurgeSelection): number {
    if (everything) {
      const count = this.entries.size;
      this.entries.clear();
      return count;
    }
    const wanted = new Set(tags.map((tag) => tag.toLowerCase()));
    let count = 0;
    for (const [key, entry] of this.entries) {
      const tagged = [...entry.tags].some((tag) => wanted.has(tag));
      if (tagged || pathPrefixes.some((prefix) => entry.path.startsWith(prefix))) {
        this.entries.delete(key);
        count += 1;
      }
    }
    return count;
  }

  size(): number {
    return this.entries.size;
  }
}

export interface PurgeSelection {
  tags?: string[];
  pathPrefixes?: string[];
  everything?: boolean;
}

// "Values are compared verbatim. Cloudflare does not normalize the listed request headers before keying."
function matches(varyValues: Map<string, string | null>, headers: Headers): boolean {
  for (const [name, value] of varyValues) if (headers.get(name) !== value) return false;
  return true;
}

function sameValues(a: Map<string, string | null>, b: Map<string, string | null>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) if (!b.has(name) || b.get(name) !== value) return false;
  return true;
}

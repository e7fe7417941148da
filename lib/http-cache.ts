// Conditional GET: validators for finished responses and the If-None-Match comparison (RFC 9110 §13.1.2).
import type { StoredResponse } from './cache';

/** What a route renders on a miss: the finished body and its content type. */
export interface Rendered {
  body: string;
  type: string;
}

export function renderJson(value: unknown): Rendered {
  return { body: JSON.stringify(value), type: 'application/json' };
}

/** A rendered response with its validator, as the cache stores it. */
export async function storedResponse(rendered: Rendered): Promise<StoredResponse> {
  return { ...rendered, etag: await etagOf(rendered.body) };
}

/** A strong ETag for a body: 128 bits of its SHA-256, quoted. Computed once, when the response is rendered. */
export async function etagOf(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += digest[i]!.toString(16).padStart(2, '0');
  return `"${hex}"`;
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches any current representation. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const wanted = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const candidate of ifNoneMatch.split(',')) {
    const tag = candidate.trim();
    if (tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === wanted) return true;
  }
  return false;
}

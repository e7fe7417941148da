// Conditional GET (RFC 9110 §13): whether a client's cached copy is still current, from its validators and ours.

export interface Validators {
  /** Quoted strong ETag. */
  etag: string;
  /** ISO 8601 time of the last change. */
  updated: string;
}

/** HTTP-date for Last-Modified, which has one-second precision. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/**
 * True when the client's copy is current and a 304 should answer. If-None-Match wins when present (a weak
 * comparison, so `W/"x"` matches `"x"`); If-Modified-Since is consulted only without it.
 */
export function isNotModified(headers: Headers, validators: Validators): boolean {
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === '*') return true;
    const ours = validators.etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === ours);
  }
  const ifModifiedSince = headers.get('if-modified-since');
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(Date.parse(validators.updated) / 1000) * 1000 <= since;
}

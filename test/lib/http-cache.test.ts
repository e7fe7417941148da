import { describe, expect, it } from 'vitest';
import { etagMatches, etagOf } from '../../lib/http-cache';

describe('etagOf', () => {
  it('is a quoted digest that changes with the body', async () => {
    const a = await etagOf('<p>one</p>');
    expect(a).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await etagOf('<p>one</p>')).toBe(a);
    expect(await etagOf('<p>two</p>')).not.toBe(a);
  });
});

describe('etagMatches', () => {
  const etag = '"abc"';
  it('matches the same tag, its weak form, a list containing it, and *', () => {
    expect(etagMatches('"abc"', etag)).toBe(true);
    expect(etagMatches('W/"abc"', etag)).toBe(true);
    expect(etagMatches('"x", "abc" ,"y"', etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
  });
  it('does not match other tags, an absent header, or an unquoted value', () => {
    expect(etagMatches('"abd"', etag)).toBe(false);
    expect(etagMatches(undefined, etag)).toBe(false);
    expect(etagMatches('', etag)).toBe(false);
    expect(etagMatches('abc', etag)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { isNeonUrl } from '../neon-url';

describe('isNeonUrl', () => {
  it.each([
    ['postgres://u:p@ep-cool-name-123.us-east-2.aws.neon.tech/neondb?sslmode=require', true],
    ['postgresql://u:p@ep-x.eu-central-1.aws.neon.tech:5432/db', true],
    ['postgres://postgres@127.0.0.1:5432/test', false],
    ['postgres://u:p@neon.tech.evil.example/db', false],
    ['not a url', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isNeonUrl(url)).toBe(expected);
  });
});

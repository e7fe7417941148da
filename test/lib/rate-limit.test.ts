import { describe, expect, it } from 'vitest';
import { rateLimitAddress, rateLimitHeaderFields, windowSeconds } from '../../lib/auth/rate-limit';

describe('rateLimitAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:0099', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (ip, expected) => {
    expect(rateLimitAddress(ip)).toBe(expected);
  });
});

describe('windowSeconds', () => {
  it.each([
    ['15 s', 15],
    ['1 m', 60],
    ['15 m', 900],
    ['1 h', 3600],
    ['2d', 172_800],
  ] as const)('%s is %i seconds', (window, seconds) => {
    expect(windowSeconds(window)).toBe(seconds);
  });
});

describe('rateLimitHeaderFields', () => {
  it('writes one list item per limit, as draft-ietf-httpapi-ratelimit-headers spells them', () => {
    expect(
      rateLimitHeaderFields([
        { policy: 'loginPerIp', quota: 10, windowSeconds: 60, remaining: 9, resetSeconds: 41 },
        { policy: 'loginPerAccountFromIp', quota: 5, windowSeconds: 900, remaining: 0, resetSeconds: 812 },
      ]),
    ).toEqual({
      'RateLimit-Policy': '"loginPerIp";q=10;w=60, "loginPerAccountFromIp";q=5;w=900',
      RateLimit: '"loginPerIp";r=9;t=41, "loginPerAccountFromIp";r=0;t=812',
    });
  });
});

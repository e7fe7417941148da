import { describe, expect, it } from 'vitest';
import { isTimeZone, timeZones, utcToZoned, zonedToUtc } from '../../lib/zoned-time';

describe('zonedToUtc', () => {
  it('reads a local time in the writer’s zone, summer and winter', () => {
    expect(zonedToUtc('2026-07-01T09:30', 'Europe/Paris')).toBe('2026-07-01T07:30:00.000Z');
    expect(zonedToUtc('2026-12-01T09:30', 'Europe/Paris')).toBe('2026-12-01T08:30:00.000Z');
    expect(zonedToUtc('2026-12-01T09:30', 'America/New_York')).toBe('2026-12-01T14:30:00.000Z');
    expect(zonedToUtc('2026-12-01T09:30', 'UTC')).toBe('2026-12-01T09:30:00.000Z');
  });

  it('refuses what is not a local time or a zone', () => {
    expect(zonedToUtc('tomorrow', 'UTC')).toBeNull();
    expect(zonedToUtc('2026-12-01T09:30', 'Mars/Olympus')).toBeNull();
  });
});

describe('utcToZoned', () => {
  it('shows a stored instant as the writer’s local time, and round-trips', () => {
    expect(utcToZoned('2026-07-01T07:30:00.000Z', 'Europe/Paris')).toBe('2026-07-01T09:30');
    expect(zonedToUtc(utcToZoned('2026-03-05T23:15:00.000Z', 'Asia/Kolkata'), 'Asia/Kolkata')).toBe(
      '2026-03-05T23:15:00.000Z',
    );
  });
});

describe('timeZones', () => {
  it('lists UTC and real zones', () => {
    expect(timeZones()).toContain('UTC');
    expect(isTimeZone('Europe/Paris')).toBe(true);
  });
});

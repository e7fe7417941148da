// Wall-clock times in a writer's time zone and the UTC instants stored for them: the admin's schedule field shows
// and accepts local time, the database keeps UTC. Values in, values out (Intl does the zone arithmetic).

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The UTC instant (ISO) of a `datetime-local` value read in `zone`, or null when it is not one. A time skipped by a
 * daylight-saving jump resolves to the instant just after the jump.
 */
export function zonedToUtc(local: string, zone: string): string | null {
  const match = LOCAL.exec(local);
  if (!match || !isTimeZone(zone)) return null;
  const [, y, mo, d, h, mi, s = '0'] = match;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(asUtc)) return null;
  let instant = asUtc - offsetAt(asUtc, zone);
  // Across a DST change the offset at the guess may differ from the offset at the answer: settle on the latter.
  instant = asUtc - offsetAt(instant, zone);
  return new Date(instant).toISOString();
}

/** A stored instant as the `datetime-local` value (minutes) a writer in `zone` sees. */
export function utcToZoned(iso: string, zone: string): string {
  const instant = Date.parse(iso);
  return new Date(instant + offsetAt(instant, zone)).toISOString().slice(0, 16);
}

/** The zones a writer can pick, when the runtime can list them (workerd and Node can). */
export function timeZones(): string[] {
  const list = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

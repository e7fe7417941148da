// Conversions from Neon's parsed row values to the JSON-safe values our schemas (and the cache) carry.

export type Row = Record<string, unknown>;

export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

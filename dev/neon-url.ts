// Tells a Neon connection string (reached over Neon's HTTP endpoint) from any other Postgres URL (reached through
// the local stand-in).
export function isNeonUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    return new URL(url).hostname.endsWith('.neon.tech');
  } catch {
    return false;
  }
}

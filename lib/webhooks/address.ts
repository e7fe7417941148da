// Server-side request forgery guard for webhook endpoints: an admin (or whoever steals an admin's session) must not
// be able to make the Worker call addresses behind it. Checked when an endpoint is registered and again before every
// delivery (DNS can change between the two). Only public unicast addresses pass; `ALLOW_LOCAL_WEBHOOKS` (set by
// `npm run dev` and the tests) lifts this so a receiver on this machine can be used.
import type IpAddr from 'ipaddr.js';
import type { Config } from '../env';

export type AddressCheck = { ok: true } | { ok: false; reason: string };

/** Host names that never leave the machine or the local network, whatever DNS says. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan|intranet)$/i;

type IpAddrModule = typeof IpAddr;

/** The kind of a non-public IP (`loopback`, `private`, `linkLocal`...), or null for a public unicast address. */
function nonPublicRange(ipaddr: IpAddrModule, address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as IpAddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as IpAddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** `fetcher` resolves host names over DNS-over-HTTPS; a host that does not resolve is refused. */
export async function checkWebhookAddress(
  config: Pick<Config, 'ALLOW_LOCAL_WEBHOOKS' | 'WEBHOOK_DOH_URL'>,
  url: string,
  fetcher: typeof fetch = fetch,
): Promise<AddressCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { ok: false, reason: 'only http and https URLs' };
  if (parsed.username || parsed.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  if (config.ALLOW_LOCAL_WEBHOOKS === 'true') return { ok: true };
  // Loaded here rather than imported: ipaddr.js builds its range tables when evaluated, start-up CPU of every
  // isolate for a check that runs only when an endpoint is saved or a delivery is made.
  const { default: ipaddr } = await import('ipaddr.js');
  // The URL parser has already turned 2130706433, 0x7f.1 and friends into dotted form, and IPv6 into brackets.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const range = nonPublicRange(ipaddr, host);
    return range ? { ok: false, reason: `${host} is a ${range} address` } : { ok: true };
  }
  if (LOCAL_NAMES.test(host) || !host.includes('.')) return { ok: false, reason: `${host} is a local name` };
  const addresses = await resolve(config.WEBHOOK_DOH_URL, host, fetcher);
  if (addresses === null) return { ok: false, reason: `${host} could not be resolved` };
  if (addresses.length === 0) return { ok: false, reason: `${host} has no address` };
  for (const address of addresses) {
    const range = nonPublicRange(ipaddr, address);
    if (range) return { ok: false, reason: `${host} resolves to ${address}, a ${range} address` };
  }
  return { ok: true };
}

/** A and AAAA records through DNS-over-HTTPS (JSON), or null when the resolver cannot be asked. */
async function resolve(dohUrl: string, host: string, fetcher: typeof fetch): Promise<string[] | null> {
  try {
    const answers = await Promise.all(
      ['A', 'AAAA'].map(async (type) => {
        const url = new URL(dohUrl);
        url.searchParams.set('name', host);
        url.searchParams.set('type', type);
        const response = await fetcher(url, {
          headers: { accept: 'application/dns-json' },
          signal: AbortSignal.timeout(3_000),
        });
        if (!response.ok) throw new Error(`resolver answered ${response.status}`);
        const body = (await response.json()) as { Answer?: { type: number; data: string }[] };
        // 1 = A, 28 = AAAA; CNAMEs (5) in the chain are followed by the resolver and skipped here.
        return (body.Answer ?? []).filter((answer) => answer.type === 1 || answer.type === 28).map((a) => a.data);
      }),
    );
    return answers.flat();
  } catch {
    return null;
  }
}

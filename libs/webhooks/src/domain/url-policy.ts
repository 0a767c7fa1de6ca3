import {
  type AddressBlock,
  blockContains,
  forbiddenAddressClass,
  parseAddress,
  parseAddressBlock,
} from './address-policy';

/** One `WEBHOOK_ALLOWED_HOSTS` entry: a host name or an address block, optionally only on one port. */
export interface AllowListEntry {
  host?: string;
  block?: AddressBlock;
  port?: number;
}

/** Hosts and networks an operator lets webhooks reach although they are not public (local receivers). */
export type AllowList = readonly AllowListEntry[];

export interface WebhookUrlPolicy {
  /** `http:` as well as `https:` (local development and tests only). */
  allowHttp: boolean;
  allowList: AllowList;
}

/** Where a URL points: its host as written, its port (scheme default when absent). */
export interface Destination {
  hostname: string;
  port: number;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };
export type AddressCheck = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * `WEBHOOK_ALLOWED_HOSTS` entries: host names (exact, case-insensitive), IP addresses or CIDR blocks,
 * each optionally with `:port` (`[v6]:port` for IPv6). Returns the list, or the entry that is not one.
 */
export function parseAllowList(
  entries: readonly string[],
): { ok: true; allowList: AllowList } | { ok: false; entry: string } {
  const allowList: AllowListEntry[] = [];
  for (const entry of entries.map((item) => item.trim()).filter(Boolean)) {
    const parsed = parseAllowListEntry(entry);
    if (!parsed) return { ok: false, entry };
    allowList.push(parsed);
  }
  return { ok: true, allowList };
}

function parseAllowListEntry(entry: string): AllowListEntry | null {
  const block = parseAddressBlock(entry);
  if (block) return { block };
  const withPort = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry);
  const target = withPort ? withPort[1] : entry;
  const port = withPort ? Number(withPort[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  const targetBlock = parseAddressBlock(target.replace(/^\[(.*)\]$/, '$1'));
  if (targetBlock) return { block: targetBlock, ...(port === undefined ? {} : { port }) };
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(target)) return null;
  return { host: target.toLowerCase(), ...(port === undefined ? {} : { port }) };
}

/** The host and port a URL connects to. */
export function destinationOf(url: URL): Destination {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(), port };
}

/**
 * What can be said about a URL before DNS: its form, its scheme, no credentials, and an IP literal's
 * address. A host name is judged again by {@link checkResolvedAddresses} after every resolution.
 */
export function checkWebhookUrl(text: string, policy: WebhookUrlPolicy): UrlCheck {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: 'is longer than 2048 characters' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, reason: policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  if (!url.hostname) return { ok: false, reason: 'has no host' };
  if (url.hash) return { ok: false, reason: 'must not have a fragment' };
  const destination = destinationOf(url);
  if (parseAddress(destination.hostname)) {
    const check = checkResolvedAddresses(destination, [destination.hostname], policy.allowList);
    if (!check.ok) return check;
  }
  return { ok: true, url };
}

/**
 * Judges every address a host resolved to: one forbidden address refuses the host (a name that resolves
 * to a public and a private address must not reach the private one). Allow-listed hosts and blocks pass.
 * The address to connect to is the first one, so the connection goes exactly where was checked.
 */
export function checkResolvedAddresses(
  destination: Destination,
  addresses: readonly string[],
  allowList: AllowList,
): AddressCheck {
  const { hostname, port } = destination;
  if (addresses.length === 0) return { ok: false, reason: `${hostname} resolves to no address` };
  const portMatches = (entry: AllowListEntry) => entry.port === undefined || entry.port === port;
  const hostAllowed = allowList.some((entry) => entry.host === hostname && portMatches(entry));
  for (const address of addresses) {
    const allowed =
      hostAllowed ||
      allowList.some(
        (entry) => entry.block !== undefined && portMatches(entry) && blockContains(entry.block, address),
      );
    if (allowed) continue;
    const forbidden = forbiddenAddressClass(address);
    if (forbidden) {
      return { ok: false, reason: `resolves to a ${forbidden.replace('_', '-')} address (${address})` };
    }
  }
  const address = addresses[0].replace(/^\[(.*)\]$/, '$1');
  return { ok: true, address, family: address.includes(':') ? 6 : 4 };
}

import { isIP } from 'node:net';

/** Why an address may not receive webhooks (SSRF guard). */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'shared_cgnat'
  | 'multicast'
  | 'reserved';

/** An IP address or a CIDR block, parsed to bytes (4 for IPv4, 16 for IPv6). */
export interface AddressBlock {
  bytes: Uint8Array;
  prefix: number;
}

interface Range extends AddressBlock {
  class: AddressClass;
}

const V4_RANGES: [string, AddressClass][] = [
  ['0.0.0.0/8', 'unspecified'], // RFC 1122 "this network"
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['100.64.0.0/10', 'shared_cgnat'], // RFC 6598
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link_local'], // cloud metadata services live here
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // RFC 6890 IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation
  ['192.88.99.0/24', 'reserved'], // 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes 255.255.255.255
];

const V6_RANGES: [string, AddressClass][] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved'], // deprecated IPv4-compatible addresses
  ['100::/64', 'reserved'], // discard-only
  ['2001:db8::/32', 'reserved'], // documentation
  ['fc00::/7', 'unique_local'],
  ['fe80::/10', 'link_local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
];

/**
 * The class of a forbidden address, or null for a public one. IPv4 embedded in IPv6 (mapped `::ffff:0:0/96`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is judged as the IPv4 address it reaches.
 */
export function forbiddenAddressClass(address: string): AddressClass | null {
  const bytes = parseAddress(address);
  if (!bytes) return 'reserved';
  const embedded = embeddedIpv4(bytes);
  if (embedded) return classOf(embedded, V4);
  return classOf(bytes, bytes.length === 4 ? V4 : V6);
}

/** Parses `a.b.c.d`, an IPv6 address (brackets and zone ids allowed) or either with `/prefix`. */
export function parseAddressBlock(text: string): AddressBlock | null {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || address === undefined) return null;
  const bytes = parseAddress(address);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { bytes, prefix: Number(prefixText) };
}

/** True when `address` lies in `block` (an IPv4-mapped IPv6 address matches IPv4 blocks). */
export function blockContains(block: AddressBlock, address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  const bytes = parsed.length === 16 && block.bytes.length === 4 ? (embeddedIpv4(parsed) ?? parsed) : parsed;
  return bytes.length === block.bytes.length && prefixMatches(bytes, block.bytes, block.prefix);
}

/** 4 or 16 bytes of an IP literal, or null when it is not one. */
export function parseAddress(text: string): Uint8Array | null {
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return Uint8Array.from(address.split('.').map(Number));
  if (version !== 6) return null;
  let head = address;
  let tailV4: number[] = [];
  const v4Match = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4Match) {
    head = `${v4Match[1]}0:0`;
    tailV4 = v4Match[2].split('.').map(Number);
  }
  const [left, right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = head.includes('::')
    ? [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups]
    : leftGroups;
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tailV4.length === 4) bytes.set(tailV4, 12);
  return bytes;
}

const V4 = V4_RANGES.map(([cidr, addressClass]) => toRange(cidr, addressClass));
const V6 = V6_RANGES.map(([cidr, addressClass]) => toRange(cidr, addressClass));
const MAPPED = toRange('::ffff:0:0/96', 'reserved');
const NAT64 = toRange('64:ff9b::/96', 'reserved');
const SIX_TO_FOUR = toRange('2002::/16', 'reserved');

function toRange(cidr: string, addressClass: AddressClass): Range {
  const block = parseAddressBlock(cidr);
  if (!block) throw new Error(`bad built-in range ${cidr}`);
  return { ...block, class: addressClass };
}

function embeddedIpv4(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length !== 16) return null;
  if (prefixMatches(bytes, MAPPED.bytes, MAPPED.prefix) || prefixMatches(bytes, NAT64.bytes, NAT64.prefix)) {
    return bytes.slice(12, 16);
  }
  if (prefixMatches(bytes, SIX_TO_FOUR.bytes, SIX_TO_FOUR.prefix)) return bytes.slice(2, 6);
  return null;
}

function classOf(bytes: Uint8Array, ranges: Range[]): AddressClass | null {
  // Most specific first: ::1 is loopback, not "IPv4-compatible".
  const matches = ranges.filter((range) => prefixMatches(bytes, range.bytes, range.prefix));
  matches.sort((a, b) => b.prefix - a.prefix);
  return matches[0]?.class ?? null;
}

function prefixMatches(bytes: Uint8Array, network: Uint8Array, prefix: number): boolean {
  if (bytes.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const index = bit / 8;
    const width = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - width)) & 0xff;
    if ((bytes[index] & mask) !== (network[index] & mask)) return false;
  }
  return true;
}

import { BlockList, isIP } from 'node:net';

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) → `1.2.3.4`; other addresses unchanged. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

/** True for an address (`10.1.2.3`, `fd00::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export function isCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  const family = familyOf(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 'ipv4' ? 32 : 128);
}

/** A set of addresses and CIDR blocks. */
export interface AddressSet {
  has(address: string): boolean;
}

/** Builds an {@link AddressSet} from entries {@link isCidr} accepts (others are ignored). */
export function createAddressSet(cidrs: readonly string[]): AddressSet {
  const list = new BlockList();
  for (const cidr of cidrs) {
    if (!isCidr(cidr)) continue;
    const [address = '', prefix] = cidr.split('/');
    const family = familyOf(address)!;
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    has(address) {
      const normalised = normaliseAddress(address);
      const family = familyOf(normalised);
      return family !== null && list.check(normalised, family);
    },
  };
}

/**
 * Addresses a proxy of one's own reaches the server from: loopback, RFC 1918 and shared (CGNAT) IPv4,
 * link-local, and IPv6 unique-local (Fly.io's private network is fdaa::/16). A client on the public
 * Internet never connects from one of them, so it cannot pass itself off as the proxy.
 */
export const PRIVATE_NETWORKS: AddressSet = createAddressSet([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]);

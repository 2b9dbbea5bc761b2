import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { ProxyTrust } from '../env.ts';
import { createAddressSet, normaliseAddress, PRIVATE_NETWORKS } from './cidr.ts';

/** Resolves the client IP of a request. */
export type ClientIpResolver = (c: Context) => string;

/** What the server believes about a request's origin, given the proxies it trusts. */
export interface ProxyResolver {
  /** The client address (as trusted), `unknown` when there is no socket (in-process requests). */
  clientIp: ClientIpResolver;
  /** True when the client used https: the URL's own scheme, or a trusted proxy's `X-Forwarded-Proto`. */
  isHttps(c: Context): boolean;
}

function socketAddress(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normaliseAddress(address) : undefined;
  } catch {
    return undefined; // no Node socket: app.request() in tests
  }
}

function forwardedChain(c: Context): string[] {
  const header = c.req.header('x-forwarded-for');
  if (!header) return [];
  return header
    .split(',')
    .map((part) => normaliseAddress(part.trim()))
    .filter((part) => part !== '');
}

/**
 * The client address behind `trust`d proxies (SPECMINT_TRUST_PROXY):
 * - `none`: the socket's peer.
 * - `hops: N`: only when the peer is on a private network (a proxy of one's own; a client on the Internet
 *   connecting directly cannot forge the header), the N-th `X-Forwarded-For` entry from the right — the
 *   address the outermost of the N proxies saw. On Fly.io, Fly's own `Fly-Client-IP` header.
 * - `cidrs`: only when the peer is in the list, the first `X-Forwarded-For` entry from the right that is
 *   not in the list.
 * Anything unparsable falls back to the peer, so a forged header never yields an arbitrary key.
 */
export function createProxyResolver(trust: ProxyTrust): ProxyResolver {
  const trusted = trust.kind === 'cidrs' ? createAddressSet(trust.cidrs) : PRIVATE_NETWORKS;
  const fromTrustedProxy = (peer: string | undefined): peer is string =>
    trust.kind !== 'none' && peer !== undefined && trusted.has(peer);

  const clientIp: ClientIpResolver = (c) => {
    const peer = socketAddress(c);
    if (!fromTrustedProxy(peer)) return peer ?? 'unknown';
    if (trust.kind === 'hops' && trust.flyClientIp) {
      const fly = c.req.header('fly-client-ip')?.trim();
      if (fly && isIP(fly)) return normaliseAddress(fly);
    }
    const chain = forwardedChain(c);
    if (chain.length === 0) return peer;
    let candidate: string | undefined;
    if (trust.kind === 'hops') {
      candidate = chain[Math.max(0, chain.length - trust.hops)];
    } else {
      candidate = chain.findLast((address) => !trusted.has(address)) ?? chain[0];
    }
    return candidate && isIP(candidate) ? candidate : peer;
  };

  return {
    clientIp,
    isHttps(c) {
      if (c.req.url.startsWith('https:')) return true;
      if (!fromTrustedProxy(socketAddress(c))) return false;
      const proto = c.req.header('x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase();
      return proto === 'https';
    },
  };
}

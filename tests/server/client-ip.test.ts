/**
 * SPECMINT_TRUST_PROXY (server/http/client-ip.ts, server/env.ts): which address a request comes from,
 * given the socket's peer and the forwarded headers. A client connecting directly must never choose
 * its own rate-limit key by sending X-Forwarded-For.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv, parseProxyTrust } from '../../server/env.ts';
import { createProxyResolver } from '../../server/http/client-ip.ts';

/** Asks a real Hono app, with the Node socket's peer address `peer`, what the resolver says. */
async function resolve(
  trust: string | undefined,
  request: { peer: string; headers?: Record<string, string>; url?: string; onFly?: boolean },
) {
  const resolver = createProxyResolver(parseProxyTrust(trust, request.onFly ?? false));
  const app = new Hono();
  app.get('/', (c) => c.json({ ip: resolver.clientIp(c), https: resolver.isHttps(c) }));
  const response = await app.request(
    request.url ?? 'http://licence.test/',
    { headers: request.headers ?? {} },
    { incoming: { socket: { remoteAddress: request.peer } } },
  );
  return (await response.json()) as { ip: string; https: boolean };
}

describe('SPECMINT_TRUST_PROXY', () => {
  it('parses hops, CIDR lists and off, and rejects anything else with a hint', () => {
    expect(parseProxyTrust(undefined, false)).toEqual({ kind: 'none' });
    expect(parseProxyTrust('0', false)).toEqual({ kind: 'none' });
    expect(parseProxyTrust('1', false)).toEqual({ kind: 'hops', hops: 1, flyClientIp: false });
    expect(parseProxyTrust('true', true)).toEqual({ kind: 'hops', hops: 1, flyClientIp: true });
    expect(parseProxyTrust('2', false)).toEqual({ kind: 'hops', hops: 2, flyClientIp: false });
    expect(parseProxyTrust('10.0.0.0/8, fd00::/8,192.0.2.7', false)).toEqual({
      kind: 'cidrs',
      cidrs: ['10.0.0.0/8', 'fd00::/8', '192.0.2.7'],
    });
    expect(() => parseProxyTrust('10.0.0.0/33', false)).toThrow(EnvError);
    expect(() => parseProxyTrust('proxy.internal', false)).toThrow(/hop count or an address\/CIDR/);
    expect(parseEnv({ SPECMINT_TRUST_PROXY: '1', FLY_APP_NAME: 'specmint' }).trustProxy).toEqual({
      kind: 'hops',
      hops: 1,
      flyClientIp: true,
    });
  });

  it('off: the socket peer, whatever the headers say', async () => {
    const seen = await resolve(undefined, { peer: '10.1.2.3', headers: { 'x-forwarded-for': '1.2.3.4' } });
    expect(seen.ip).toBe('10.1.2.3');
    expect((await resolve(undefined, { peer: '::ffff:198.51.100.4' })).ip).toBe('198.51.100.4');
  });

  it('hops: a direct client on the Internet cannot rotate X-Forwarded-For to escape its limits', async () => {
    const keys = new Set<string>();
    for (let index = 0; index < 5; index++) {
      const forged = `203.0.113.${index}`;
      keys.add((await resolve('1', { peer: '198.51.100.9', headers: { 'x-forwarded-for': forged } })).ip);
    }
    expect([...keys]).toEqual(['198.51.100.9']);
  });

  it('hops: behind a private proxy, the address the outermost trusted proxy saw', async () => {
    // The client forged one entry; the proxy appended the real address.
    const one = await resolve('1', {
      peer: '10.0.0.5',
      headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.20' },
    });
    expect(one.ip).toBe('198.51.100.20');
    const two = await resolve('2', {
      peer: '127.0.0.1',
      headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.20, 10.0.0.7' },
    });
    expect(two.ip).toBe('198.51.100.20');
    // Garbage where an address belongs: the peer, never the garbage as a key.
    const junk = await resolve('1', { peer: '10.0.0.5', headers: { 'x-forwarded-for': 'not-an-ip' } });
    expect(junk.ip).toBe('10.0.0.5');
  });

  it('hops on Fly.io: Fly-Client-IP (its proxy appends the app address to X-Forwarded-For)', async () => {
    const headers = { 'fly-client-ip': '198.51.100.30', 'x-forwarded-for': '198.51.100.30, 66.241.124.1' };
    expect((await resolve('1', { peer: '172.16.5.9', headers, onFly: true })).ip).toBe('198.51.100.30');
    // Off Fly the header means nothing (any client can send it).
    expect((await resolve('1', { peer: '172.16.5.9', headers, onFly: false })).ip).toBe('66.241.124.1');
  });

  it('CIDRs: only listed peers are believed, and the first unlisted address from the right is the client', async () => {
    const trust = '10.0.0.0/8,192.0.2.10';
    const chain = { 'x-forwarded-for': '6.6.6.6, 198.51.100.40, 10.9.9.9, 192.0.2.10' };
    expect((await resolve(trust, { peer: '10.0.0.2', headers: chain })).ip).toBe('198.51.100.40');
    // A loopback connection is not in the list: its X-Forwarded-For is ignored.
    const keys = new Set<string>();
    for (let index = 0; index < 5; index++) {
      const headers = { 'x-forwarded-for': `203.0.113.${index}` };
      keys.add((await resolve(trust, { peer: '127.0.0.1', headers })).ip);
    }
    expect([...keys]).toEqual(['127.0.0.1']);
  });

  it('https: the URL scheme, or X-Forwarded-Proto from a trusted proxy only', async () => {
    const proto = { 'x-forwarded-proto': 'https' };
    expect((await resolve(undefined, { peer: '10.0.0.2', headers: proto })).https).toBe(false);
    expect((await resolve('1', { peer: '198.51.100.9', headers: proto })).https).toBe(false);
    expect((await resolve('1', { peer: '10.0.0.2', headers: proto })).https).toBe(true);
    expect((await resolve(undefined, { peer: '10.0.0.2', url: 'https://licence.test/' })).https).toBe(true);
  });
});

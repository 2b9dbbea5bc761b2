/**
 * A loopback reverse proxy in front of the licence server that forwards everything unchanged except the
 * answer to `POST /v1/generations`, whose usage token it alters — a man in the middle "upgrading" the
 * plan in the token's claims while keeping the original signature.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface TamperProxy {
  url: string;
  /** How many usage tokens were altered. */
  tampered(): number;
  close(): Promise<void>;
}

/** Replaces the payload of a compact JWS with one whose `plan` claim is `enterprise`. */
export function tamperUsageToken(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  claims.plan = claims.plan === 'enterprise' ? 'pro' : 'enterprise';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** Starts the proxy for `target` (e.g. `http://127.0.0.1:40123`). */
export async function startTamperProxy(target: string): Promise<TamperProxy> {
  let count = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length')
        continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body });
    let text = await upstream.text();
    if (req.method === 'POST' && req.url === '/v1/generations' && upstream.status === 201) {
      const grant = JSON.parse(text) as { usageToken: string };
      grant.usageToken = tamperUsageToken(grant.usageToken);
      text = JSON.stringify(grant);
      count += 1;
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tampered: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

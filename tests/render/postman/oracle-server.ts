/**
 * A small API whose answers the hand-made oracle plan (oracle-plan.ts) knows in advance: some keep the spec's
 * promises in ways a naive check gets wrong (a date-time in another notation, a 204 and a HEAD answer with a JSON
 * Content-Type and no body), some break exactly one promise (a filter that lets other items through, a PUT that
 * changes the resource when repeated, a read after delete that still finds it, an undeclared method answered 200,
 * a bad header). It records every request, so tests can see what a suite sent. Bearer token: `s3cret`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The token the server accepts (`Authorization: Bearer s3cret`). */
export const ORACLE_TOKEN = 's3cret';

/** The API key it accepts in the `api_key` query parameter. */
export const ORACLE_KEY = 'k3y';

/** A request the server received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A running oracle server. */
export interface OracleServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

type Item = Record<string, unknown>;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** Starts the server on a free loopback port. */
export async function startOracleServer(): Promise<OracleServer> {
  const seen: SeenRequest[] = [];
  const items = new Map<string, Item>();
  let next = 1;
  let writes = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const path = url.pathname;
      if (path === '/broken') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('boom');
        return;
      }
      if (path === '/open') return send(res, 200, { ok: true });
      if (path === '/strict') return send(res, 422, { code: 'invalid', message: 'no' });
      if (path === '/search') {
        if (url.searchParams.get('api_key') !== ORACLE_KEY)
          return send(res, 401, { code: 'key', message: 'no key' });
        return send(res, 200, { ok: true });
      }
      if (path === '/codes')
        return send(
          res,
          200,
          url.searchParams.has('odd')
            ? { count: 2 ** 31, total: 2 ** 40, digest: 'cM5', key: '+/8-_w==' }
            : { count: 2 ** 31 - 1, total: 2 ** 40, digest: 'U3BlY01pbnQ=', key: '-_8_-w==' },
        );
      if (path === '/prices')
        return send(res, 200, url.searchParams.has('odd') ? [0.35] : [0.3, 5.3, 1.2115065038043578e38, 7]);
      if (path === '/headers-bad') return send(res, 200, { ok: true }, { 'x-rate-limit': 'abc' });
      if (req.headers.authorization !== `Bearer ${ORACLE_TOKEN}`)
        return send(res, 401, { code: 'auth', message: 'no' });
      if (path === '/items' && method === 'GET') {
        const colour = url.searchParams.get('colour');
        const listed =
          colour === 'red'
            ? [
                { id: 'a', colour: 'red' },
                { id: 'b', colour: 'blue' },
              ]
            : [
                { id: 'c', colour },
                { id: 'd', colour },
                { id: 'e', name: 'no colour' },
              ];
        return send(res, 200, { items: listed });
      }
      if (path === '/items' && method === 'POST') {
        const sent = JSON.parse(body || '{}') as Item;
        const id = `i${next++}`;
        const [user, domain] = String(sent.email ?? 'x@example.com').split('@');
        const item: Item = {
          ...sent,
          id,
          // The same instant and address in another notation: equal after normalising.
          when: new Date(String(sent.when ?? '2024-01-01T00:00:00Z')).toISOString().replace('Z', '+00:00'),
          email: `${user}@${String(domain).toUpperCase()}`,
          tags: [...((sent.tags as unknown[]) ?? [])].reverse(),
          version: 1,
        };
        items.set(id, item);
        return send(res, 201, item, { location: `/items/${id}`, 'x-rate-limit': '7' });
      }
      const match = /^\/items\/([^/]+)$/.exec(path);
      if (!match) return send(res, 404, { code: 'route', message: 'no route' });
      const id = decodeURIComponent(match[1]!);
      if (method === 'PATCH')
        return send(res, 405, { code: 'method', message: 'no' }, { allow: 'GET, PUT, DELETE' });
      if (method === 'HEAD') {
        res.writeHead(items.has(id) || id === 'fixed' ? 200 : 404, { 'content-type': 'application/json' });
        res.end();
        return;
      }
      if (method === 'PUT') {
        const sent = JSON.parse(body || '{}') as Item;
        const before = items.get(id);
        const drift = url.searchParams.get('drift') === '1' && before !== undefined;
        writes += 1;
        const item: Item = {
          ...sent,
          id,
          name: drift ? `${String(sent.name)} (again)` : sent.name,
          version: drift ? Number(before?.version ?? 1) + 1 : 1,
          updatedAt: `2024-01-01T00:00:${String(writes % 60).padStart(2, '0')}Z`,
        };
        items.set(id, item);
        return send(res, 200, item);
      }
      if (method === 'DELETE') {
        if (id !== 'stuck') items.delete(id);
        // No content, yet a JSON Content-Type: must not be parsed.
        res.writeHead(204, { 'content-type': 'application/json' });
        res.end();
        return;
      }
      if (id === 'stuck') return send(res, 200, { id, name: 'still here' });
      const item = items.get(id);
      return item ? send(res, 200, item) : send(res, 404, { code: 'missing', message: 'no such item' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

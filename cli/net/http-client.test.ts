import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startConnectProxy, withProxyEnv } from '../../tests/helpers/connect-proxy.ts';
import { createHttpClient } from './http-client.ts';
import { UnreachableError } from './network-error.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; attempts: () => number }> {
  let attempts = 0;
  const server = createServer((req, res) => {
    attempts += 1;
    req.resume();
    req.on('end', () => handler(req, res, attempts));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, attempts: () => attempts };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const fast = { retryBaseDelayMs: 5, userAgent: 'test' };

describe('createHttpClient', () => {
  it('sends JSON with the user agent and parses JSON answers', async () => {
    const seen: Record<string, unknown> = {};
    const { url } = await serve((req, res) => {
      seen.ua = req.headers['user-agent'];
      seen.type = req.headers['content-type'];
      json(res, 201, { ok: true });
    });
    const client = createHttpClient({ baseUrl: url, ...fast });
    const result = await client.send({ method: 'POST', path: '/v1/x', json: { a: 1 } });
    expect(result).toMatchObject({ status: 201, body: { ok: true }, url: `${url}/v1/x` });
    expect(seen).toEqual({ ua: 'test', type: 'application/json' });
    await client.close();
  });

  it('retries a POST with an Idempotency-Key on 503, but not a plain POST', async () => {
    const flaky = await serve((_req, res, attempt) =>
      attempt < 3 ? json(res, 503, { error: { code: 'SERVICE_UNAVAILABLE' } }) : json(res, 201, { ok: true }),
    );
    const client = createHttpClient({ baseUrl: flaky.url, ...fast });
    const keyed = await client.send({
      method: 'POST',
      path: '/g',
      json: {},
      headers: { 'Idempotency-Key': 'k-12345678' },
    });
    expect(keyed.status).toBe(201);
    expect(flaky.attempts()).toBe(3);
    const plain = await serve((_req, res) => json(res, 503, { error: { code: 'SERVICE_UNAVAILABLE' } }));
    const plainClient = createHttpClient({ baseUrl: plain.url, ...fast });
    expect((await plainClient.send({ method: 'POST', path: '/g', json: {} })).status).toBe(503);
    expect(plain.attempts()).toBe(1);
    await client.close();
    await plainClient.close();
  });

  it('does not retry 503 BILLING_NOT_CONFIGURED', async () => {
    const server = await serve((_req, res) => json(res, 503, { error: { code: 'BILLING_NOT_CONFIGURED' } }));
    const client = createHttpClient({ baseUrl: server.url, ...fast });
    expect((await client.send({ method: 'GET', path: '/b' })).status).toBe(503);
    expect(server.attempts()).toBe(1);
    await client.close();
  });

  it('honours Retry-After on 429 for idempotent calls', async () => {
    const server = await serve((_req, res, attempt) =>
      attempt === 1
        ? json(res, 429, { error: { code: 'RATE_LIMITED' } }, { 'retry-after': '0' })
        : json(res, 200, {}),
    );
    const client = createHttpClient({ baseUrl: server.url, ...fast });
    expect((await client.send({ method: 'GET', path: '/me' })).status).toBe(200);
    expect(server.attempts()).toBe(2);
    await client.close();
  });

  it('retries a GET whose connection is dropped', async () => {
    const server = await serve((req, res, attempt) => {
      if (attempt === 1) req.socket.destroy();
      else json(res, 200, { fine: true });
    });
    const client = createHttpClient({ baseUrl: server.url, ...fast });
    expect((await client.send({ method: 'GET', path: '/me' })).body).toEqual({ fine: true });
    expect(server.attempts()).toBe(2);
    await client.close();
  });

  it('maps a refused connection to exit 5 naming the URL, after retrying', async () => {
    const server = await serve(() => {});
    const { url } = server;
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const client = createHttpClient({ baseUrl: url, ...fast });
    const error = await client.send({ method: 'GET', path: '/v1/me' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).exitCode).toBe(5);
    expect((error as Error).message).toContain(`${url}/v1/me`);
    expect((error as Error).message).toContain('connection refused');
    await client.close();
  });

  it('times out a server that never answers', async () => {
    const server = await serve(() => {});
    const client = createHttpClient({
      baseUrl: server.url,
      requestTimeoutMs: 200,
      maxAttempts: 1,
      userAgent: 't',
    });
    const error = await client
      .send({ method: 'POST', path: '/slow', json: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toContain('no answer in time');
    await client.close();
  });

  it('tunnels through HTTP_PROXY (CONNECT) unless NO_PROXY matches', async () => {
    const origin = await serve((req, res) => json(res, 200, { via: 'proxy', path: req.url }));
    const originPort = Number(new URL(origin.url).port);
    const proxy = await startConnectProxy(originPort);
    const { tunnels } = proxy;
    try {
      await withProxyEnv(proxy.url, 'bypass.test', async () => {
        const client = createHttpClient({ baseUrl: 'http://licence.test', ...fast, maxAttempts: 1 });
        const result = await client.send({ method: 'GET', path: '/v1/me' });
        expect(result.body).toEqual({ via: 'proxy', path: '/v1/me' });
        expect(tunnels).toEqual(['licence.test:80']);
        await client.close();
        const bypass = createHttpClient({
          baseUrl: 'http://bypass.test',
          ...fast,
          maxAttempts: 1,
          connectTimeoutMs: 2000,
        });
        await expect(bypass.send({ method: 'GET', path: '/' })).rejects.toBeInstanceOf(UnreachableError);
        expect(tunnels).toHaveLength(1);
        await bypass.close();
      });
    } finally {
      await proxy.close();
    }
  });
});

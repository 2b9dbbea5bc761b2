/**
 * Node's own HTTP client as the CLI's transport when no proxy is configured (transport.ts): the time limits,
 * a connection that drops mid-answer, kept-alive connections and TLS failures, each reported as with undici.
 * (http-client.test.ts runs the client's retries and errors over it too, and over undici through a proxy.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.ts';
import { UnreachableError } from './network-error.ts';
import { createTransport, proxyConfigured } from './transport.ts';

const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const timeouts = { connectMs: 2_000, requestMs: 2_000 };

describe('proxyConfigured', () => {
  it('reads the variables undici reads, either case; empty ones do not count', () => {
    expect(proxyConfigured({})).toBe(false);
    expect(proxyConfigured({ HTTPS_PROXY: '' })).toBe(false);
    expect(proxyConfigured({ NO_PROXY: '*' })).toBe(false);
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) {
      expect(proxyConfigured({ [name]: 'http://proxy:3128' }), name).toBe(true);
    }
  });
});

describe("Node's own transport", () => {
  it('sends the method, headers and body, and reads the answer whole', async () => {
    const host = await listen(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.headers['x-test'] ?? '' });
          res.write('{"got":');
          setTimeout(
            () => res.end(`${JSON.stringify(Buffer.concat(chunks).toString())},"m":"${req.method}"}`),
            20,
          );
        });
      }),
    );
    const transport = createTransport(timeouts);
    const response = await transport.request(`http://${host}/x`, {
      method: 'POST',
      headers: { 'x-test': 'yes', 'content-type': 'application/json' },
      body: '{"é":1}',
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(201);
    expect(response.headers['x-seen']).toBe('yes');
    expect(JSON.parse(response.text)).toEqual({ got: '{"é":1}', m: 'POST' });
    await transport.close();
  });

  it('keeps the connection for the next call', async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => {
      connections += 1;
    });
    const host = await listen(server);
    const client = createHttpClient({ baseUrl: `http://${host}`, userAgent: 't' });
    for (let i = 0; i < 3; i++) expect((await client.send({ method: 'GET', path: '/' })).text).toBe('ok');
    expect(connections).toBe(1);
    await client.close();
  });

  it('gives up on an answer that stops halfway: no answer in time', async () => {
    const host = await listen(
      createServer((_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"partial":');
      }),
    );
    const client = createHttpClient({
      baseUrl: `http://${host}`,
      requestTimeoutMs: 200,
      maxAttempts: 1,
      userAgent: 't',
    });
    const error = await client.send({ method: 'GET', path: '/' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toContain('no answer in time');
    await client.close();
  });

  it('retries a GET whose connection drops mid-answer', async () => {
    let attempts = 0;
    const host = await listen(
      createServer((req, res) => {
        attempts += 1;
        if (attempts === 1) {
          res.writeHead(200, { 'content-length': '100' });
          res.write('{"partial":', () => req.socket.destroy());
        } else res.end('{"whole":true}');
      }),
    );
    const client = createHttpClient({ baseUrl: `http://${host}`, retryBaseDelayMs: 5, userAgent: 't' });
    expect((await client.send({ method: 'GET', path: '/' })).text).toBe('{"whole":true}');
    expect(attempts).toBe(2);
    await client.close();
  });

  it('stops at once when the signal aborts, with its reason', async () => {
    const host = await listen(createServer(() => {}));
    const transport = createTransport(timeouts);
    const reason = new Error('stop now');
    const controller = new AbortController();
    const pending = transport.request(`http://${host}/`, {
      method: 'GET',
      headers: {},
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    await transport.close();
  });

  it('names an untrusted TLS certificate and how to trust it', async (context) => {
    const folder = mkdtempSync(join(tmpdir(), 'specmint-tls-'));
    try {
      try {
        execFileSync(
          'openssl',
          ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
            '-keyout',
            join(folder, 'key.pem'),
            '-out',
            join(folder, 'cert.pem'),
          ]),
          { stdio: 'ignore' },
        );
      } catch (error) {
        if (process.env.CI) throw error;
        context.skip('openssl is not installed: it makes the test certificate');
      }
      const server = createTlsServer(
        { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) },
        (_req, res) => res.end('{}'),
      );
      const host = await listen(server as unknown as Server);
      const client = createHttpClient({ baseUrl: `https://${host}`, maxAttempts: 1, userAgent: 't' });
      const error = await client.send({ method: 'GET', path: '/' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as Error).message).toContain('TLS certificate not trusted');
      expect((error as Error).message).toContain('NODE_EXTRA_CA_CERTS');
      await client.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

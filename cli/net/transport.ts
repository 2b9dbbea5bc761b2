/**
 * How the CLI's HTTP client (http-client.ts) puts one request on the wire. With a proxy configured
 * (`HTTPS_PROXY`/`HTTP_PROXY`, which Node's own client ignores) or a dispatcher given (tests), undici through
 * `EnvHttpProxyAgent`; otherwise Node's own `http`/`https` with a keep-alive agent. Loading undici costs
 * ~110 ms of the main thread, which a licensed `specmint generate` spent in the middle of planning; Node's
 * client is part of Node (~15 ms). Both report failures the same way: an error whose `code` (or cause's)
 * is the system's (`ECONNREFUSED`, `ENOTFOUND`, TLS codes…) or undici's timeout codes, and the signal's
 * reason when it aborts.
 */
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';

/** A response, its body read whole. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request to send. */
export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the request; it then rejects with the signal's reason. */
  signal: AbortSignal;
}

/** Sends requests; `close` ends the connections kept open. */
export interface Transport {
  request(url: string, init: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** Time limits of a transport. */
export interface TransportTimeouts {
  /** To open the connection. */
  connectMs: number;
  /** For the response headers, and between body chunks. */
  requestMs: number;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Whether the environment names a proxy (undici's `EnvHttpProxyAgent` reads the same variables). */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '');
}

/** The transport for this environment: see the file comment. */
export function createTransport(timeouts: TransportTimeouts, dispatcher?: Dispatcher): Transport {
  return dispatcher || proxyConfigured() ? undiciTransport(timeouts, dispatcher) : nodeTransport(timeouts);
}

/** undici, loaded on the first request, through `EnvHttpProxyAgent` unless a dispatcher is given. */
function undiciTransport(timeouts: TransportTimeouts, given?: Dispatcher): Transport {
  let client: Promise<{ request: typeof import('undici').request; dispatcher: Dispatcher }> | undefined;
  const connect = () => {
    client ??= import('undici').then(({ EnvHttpProxyAgent, request }) => ({
      request,
      dispatcher:
        given ??
        new EnvHttpProxyAgent({
          connect: { timeout: timeouts.connectMs },
          headersTimeout: timeouts.requestMs,
          bodyTimeout: timeouts.requestMs,
        }),
    }));
    return client;
  };
  return {
    async request(url, init) {
      const { request, dispatcher } = await connect();
      const response = await request(url, {
        ...init,
        method: init.method as Dispatcher.HttpMethod,
        dispatcher,
      });
      return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
    },
    async close() {
      if (!given && client) await (await client).dispatcher.close();
    },
  };
}

/** What the transport uses of `node:http` and `node:https`. */
type Client = Pick<typeof import('node:http'), 'Agent' | 'request'>;

/** An error carrying a network failure code, as undici's and Node's errors do. */
function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Node's own client, one keep-alive agent per protocol (the licence round trip makes two or three calls). */
function nodeTransport(timeouts: TransportTimeouts): Transport {
  const agents = new Map<string, HttpAgent>();
  async function agentFor(protocol: string): Promise<{ agent: HttpAgent; module: Client }> {
    const module: Client = protocol === 'https:' ? await import('node:https') : await import('node:http');
    let agent = agents.get(protocol);
    if (!agent) {
      agent = new module.Agent({ keepAlive: true });
      agents.set(protocol, agent);
    }
    return { agent, module };
  }
  return {
    async request(url, init) {
      const target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw new TypeError(`Cannot send a request to ${url}: only http and https URLs are supported.`);
      }
      const { agent, module } = await agentFor(target.protocol);
      init.signal.throwIfAborted();
      return new Promise<TransportResponse>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const request = module.request(target, { method: init.method, headers: init.headers, agent });
        const fail = (error: Error) => {
          clearTimeout(timer);
          init.signal.removeEventListener('abort', abort);
          request.destroy();
          reject(error);
        };
        const abort = () => fail(init.signal.reason as Error);
        init.signal.addEventListener('abort', abort, { once: true });
        /** (Re)starts the timer that fails the request with `code` unless cleared or restarted first. */
        const limit = (ms: number, code: string, message: string) => {
          clearTimeout(timer);
          timer = setTimeout(() => fail(codedError(code, message)), ms);
        };
        request.on('socket', (socket) => {
          if (!socket.connecting)
            return limit(timeouts.requestMs, 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error');
          limit(timeouts.connectMs, 'UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error');
          socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () =>
            limit(timeouts.requestMs, 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'),
          );
        });
        request.on('error', fail);
        request.on('response', (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          limit(timeouts.requestMs, 'UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');
          response.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            limit(timeouts.requestMs, 'UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');
          });
          response.on('error', fail);
          response.on('close', () => {
            if (!response.complete) fail(codedError('ECONNRESET', 'the connection closed mid-response'));
          });
          response.on('end', () => {
            clearTimeout(timer);
            init.signal.removeEventListener('abort', abort);
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        });
        request.end(init.body);
      });
    },
    async close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

/**
 * The shared core of the loopback fake AI providers: an HTTP server on 127.0.0.1 that records every request,
 * answers with scripted failures first (rate limits, overload, outages) and then with the proposals a test
 * scripted per operation. The wire formats live in fake-openai-server.ts and fake-anthropic-server.ts.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Proposal } from '../../cli/engine/ai/proposal-schema.ts';

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  rawBody: string;
}

/** A scripted HTTP answer. */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** How the fake behaves. */
export interface FakeBehaviour {
  /** The key the fake accepts; anything else gets the provider's 401. */
  apiKey: string;
  /** Proposals per operation id (unknown operations get none). */
  proposals?: Record<string, Proposal[]>;
  /** Replies sent, in order, before answering normally (one per request). */
  failFirst?: ScriptedReply[];
  /** Every request gets this reply (an outage). */
  always?: ScriptedReply;
  /** Answer with this raw object instead of valid proposals (a malformed answer). */
  malformedOutput?: unknown;
  /** Wait this long before answering a model request (to trip client timeouts). */
  delayMs?: number;
}

/** What a wire format must provide. */
export interface WireFormat {
  /** Path of the endpoint, e.g. `/v1/chat/completions`. */
  endpoint: string;
  /** The key the request carries, or undefined. */
  keyOf(headers: IncomingHttpHeaders): string | undefined;
  /** Checks the request the SDK sent; a message when it is not what the real API would accept. */
  checkRequest(body: unknown): string | undefined;
  /** The user message text of a request (to find the operation). */
  userText(body: unknown): string;
  /** A success reply carrying `output` as the structured answer. */
  success(body: unknown, output: unknown): unknown;
  /** An error reply body. */
  error(status: number, message: string): unknown;
}

/** A running fake. */
export interface FakeProvider {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  /** Requests to the model endpoint only. */
  modelRequests(): RecordedRequest[];
  /** Operation ids the recorded requests asked about, in arrival order. */
  askedOperations(): string[];
  behaviour: FakeBehaviour;
  close(): Promise<void>;
}

/** The operation id a prompt is about (the slice JSON carries it). */
export function operationOf(userText: string): string | undefined {
  return /"operationId":\s*"([^"]+)"/.exec(userText)?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: ScriptedReply): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

/** Starts a fake speaking `wire`. */
export async function startFake(wire: WireFormat, behaviour: FakeBehaviour): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  let scripted = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readBody(req);
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, rawBody });
      if (req.method !== 'POST' || path !== wire.endpoint) {
        send(res, { status: 404, body: wire.error(404, `No route ${req.method} ${path}`) });
        return;
      }
      const key = wire.keyOf(req.headers);
      if (key !== behaviour.apiKey) {
        // Like the real APIs, the message names the key it was given (here in full, to prove callers scrub it).
        send(res, { status: 401, body: wire.error(401, `Incorrect API key provided: ${key ?? '(none)'}`) });
        return;
      }
      if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (res.destroyed) return;
      const problem = wire.checkRequest(body);
      if (problem) {
        send(res, { status: 400, body: wire.error(400, problem) });
        return;
      }
      if (behaviour.always) {
        send(res, behaviour.always);
        return;
      }
      const failure = behaviour.failFirst?.[scripted];
      if (failure) {
        scripted += 1;
        send(res, failure);
        return;
      }
      const operationId = operationOf(wire.userText(body)) ?? '';
      const output = behaviour.malformedOutput ?? { proposals: behaviour.proposals?.[operationId] ?? [] };
      send(res, { status: 200, body: wire.success(body, output) });
    })().catch((error: unknown) => {
      send(res, { status: 500, body: wire.error(500, String(error)) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    behaviour,
    modelRequests: () => requests.filter((r) => r.path === wire.endpoint),
    askedOperations: () =>
      requests.filter((r) => r.path === wire.endpoint).map((r) => operationOf(wire.userText(r.body)) ?? '?'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

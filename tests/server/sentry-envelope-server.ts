/**
 * A local endpoint that speaks Sentry's envelope protocol (what `@sentry/node` sends to
 * `POST /api/<project>/envelope/`): it receives envelopes, un-gzips them, parses the header line and
 * each item (header line + payload, sized by `length` when given), and keeps them for the tests.
 * @see https://develop.sentry.dev/sdk/data-model/envelopes/
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One item of an envelope. */
export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  /** Parsed JSON when the payload is JSON, else the text. */
  payload: unknown;
}

/** A received envelope. */
export interface Envelope {
  path: string;
  /** The raw text as received (after gunzip), to search for leaks. */
  raw: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** Parses an envelope: header line, then items of `header line \n payload`. */
export function parseEnvelope(body: Buffer): Omit<Envelope, 'path'> {
  let offset = 0;
  const readLine = (): string => {
    const end = body.indexOf(0x0a, offset);
    const line = body.subarray(offset, end === -1 ? body.length : end).toString('utf8');
    offset = end === -1 ? body.length : end + 1;
    return line;
  };
  const header = JSON.parse(readLine()) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const line = readLine();
    if (line.trim() === '') continue;
    const itemHeader = JSON.parse(line) as EnvelopeItem['header'];
    let text: string;
    if (typeof itemHeader.length === 'number') {
      text = body.subarray(offset, offset + itemHeader.length).toString('utf8');
      offset += itemHeader.length;
      if (body[offset] === 0x0a) offset += 1;
    } else {
      text = readLine();
    }
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // a non-JSON attachment
    }
    items.push({ header: itemHeader, payload });
  }
  return { raw: body.toString('utf8'), header, items };
}

/** A running endpoint. */
export interface SentryEndpoint {
  /** A DSN pointing at this endpoint for project `project`. */
  dsn(project?: number): string;
  envelopes: Envelope[];
  /** Resolves with the first envelope holding an item of `type` that `match` accepts. */
  waitFor(
    type: string,
    match?: (payload: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Envelope>;
  close(): Promise<void>;
}

/** Starts the endpoint on a free loopback port. */
export async function startSentryEndpoint(): Promise<SentryEndpoint> {
  const envelopes: Envelope[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !/^\/api\/\d+\/envelope\/?/.test(request.url ?? '')) {
        response.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      try {
        envelopes.push({ path: request.url ?? '', ...parseEnvelope(body) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: (project = 42) => `http://publickey@127.0.0.1:${port}/${project}`,
    envelopes,
    async waitFor(type, match = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = envelopes.find((envelope) =>
          envelope.items.some(
            (item) => item.header.type === type && match(item.payload as Record<string, unknown>),
          ),
        );
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${type} envelope within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

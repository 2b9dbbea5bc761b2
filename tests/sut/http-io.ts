import type { IncomingMessage, ServerResponse } from 'node:http';

/** The pet store's error body. @see tests/fixtures/specs/sut/petstore.yaml `#/components/schemas/Error` */
export interface ErrorBody {
  code: string;
  message: string;
}

/** A response a handler decided on; written to the socket by {@link writeReply}. */
export interface Reply {
  status: number;
  /** JSON-serialisable body; `undefined` sends no body at all. */
  body?: unknown;
  /** @default 'application/json' when there is a body */
  contentType?: string;
  headers?: Record<string, string>;
}

/** Thrown by handlers to answer with an error body; the router turns it into a {@link Reply}. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(options: { status: number; code: string; message: string; headers?: Record<string, string> }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
    this.headers = options.headers ?? {};
  }

  /** The reply that reports this error as `{code, message}`. */
  toReply(): Reply {
    const body: ErrorBody = { code: this.code, message: this.message };
    return { status: this.status, body, headers: this.headers };
  }
}

/** Largest request body accepted; more is answered with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole request body as UTF-8 text, refusing bodies over {@link MAX_BODY_BYTES}. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body exceeds 1 MiB' });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a reply: JSON-encodes the body, sets content type and length. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = reply.contentType ?? 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

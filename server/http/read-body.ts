import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ApiError } from './api-error.ts';

/** Default largest request body (bytes). */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

function tooLarge(limit: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${limit} bytes.`);
}

async function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      incoming.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * Reads the request body as text, refusing more than `limit` bytes with 413 PAYLOAD_TOO_LARGE (by
 * Content-Length up front, and while reading chunked bodies). On Node it reads the socket stream
 * directly, which avoids building a full fetch `Request` per call.
 */
export async function readBodyText(c: Context, limit: number): Promise<string> {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && incoming.readable) return readIncoming(incoming, limit);
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > limit) throw tooLarge(limit);
  return new TextDecoder().decode(buffer);
}

/**
 * Middleware body: 413 PAYLOAD_TOO_LARGE when `Content-Length` declares more than `limit` bytes,
 * before the route runs — whether or not the route would read the body.
 */
export async function refuseDeclaredBody(
  c: Context,
  next: () => Promise<void>,
  limit: number,
): Promise<void> {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  await next();
}

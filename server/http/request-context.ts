import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logger.ts';
import type { AppEnv } from './principal.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Gives each request an id (an incoming `X-Request-Id` when well-formed, else a UUID), echoes it in the
 * response, and writes one structured access-log line when the request ends.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    const requestLogger = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', requestLogger);
    // Set before the handler so the response is built with it. Setting it afterwards with c.header()
    // would make Hono copy the finished response into a new one, turning @hono/node-server's fast
    // path (string body written at once) into a web-stream copy on every request.
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      // A handler that returns its own Response (better-auth) did not get the prepared header.
      if (!c.res.headers.has('x-request-id')) {
        try {
          c.res.headers.set('X-Request-Id', requestId);
        } catch {
          c.header('X-Request-Id', requestId); // immutable headers (Response.redirect): Hono copies
        }
      }
      requestLogger.info('request', {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        userId: c.get('principal')?.userId,
      });
    }
  };
}

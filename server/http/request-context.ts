import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { currentLogFields, type LogFields, type Logger, runWithLogFields } from '../logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { ApiError } from './api-error.ts';
import type { ClientIpResolver } from './client-ip.ts';
import { renderApiError } from './error-handler.ts';
import type { AppEnv } from './principal.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Options of {@link requestContext} for the app's outermost middleware. */
export interface RequestContextOptions {
  logger: Logger;
  /** The client address as trusted (SPECMINT_TRUST_PROXY): on every log line of the request. */
  clientIp?: ClientIpResolver;
  /** Request count, latency and status by route pattern. */
  metrics?: Metrics;
}

/** What one request's log lines carry, plus (hidden from the log) what inner apps report back. */
interface RequestFields extends LogFields {
  requestId: string;
}
const ROUTE = Symbol('route');
const LOGGER = Symbol('logger');
type RequestStore = RequestFields & { [ROUTE]?: string; [LOGGER]: Logger };

function currentRequest(): RequestStore | undefined {
  const fields = currentLogFields() as RequestStore | undefined;
  return fields?.[LOGGER] ? fields : undefined;
}

/** The route pattern that answered (`/v1/tokens/:id`), never the raw path: metric labels stay bounded. */
function routeLabel(c: Context): string {
  const pattern = routePath(c, -1);
  return pattern === '' || pattern === '*' || pattern === '/*' ? 'unmatched' : pattern;
}

/**
 * PostgreSQL text cannot hold U+0000, and no legitimate query needs it: refused up front so no page or
 * route has to (a search for `%00` used to reach the database and answer 500).
 */
function hasNulInQuery(c: Context): boolean {
  const url = c.req.url;
  const query = url.indexOf('?');
  return query !== -1 && url.includes('%00', query);
}

function setRequestIdHeader(c: Context, requestId: string): void {
  // A handler that returns its own Response (better-auth) did not get the prepared header.
  if (c.res.headers.has('x-request-id')) return;
  try {
    c.res.headers.set('X-Request-Id', requestId);
  } catch {
    c.header('X-Request-Id', requestId); // immutable headers (Response.redirect): Hono copies
  }
}

/**
 * Gives each request an id (an incoming `X-Request-Id` when well-formed, else a UUID), echoes it in the
 * response, runs the request with the id (and the client address) on every log line — better-auth's
 * included — and writes one structured access-log line and the request metrics when it ends.
 * An app mounted inside another (the web pages) reuses the outer request's id and leaves the access
 * line to it, reporting back the route pattern that answered.
 */
export function requestContext(options: RequestContextOptions | Logger): MiddlewareHandler<AppEnv> {
  const { logger, clientIp, metrics } = 'child' in options ? { logger: options } : options;
  return async (c, next) => {
    const outer = currentRequest();
    if (outer) {
      c.set('requestId', outer.requestId);
      c.set('logger', outer[LOGGER]);
      c.header('X-Request-Id', outer.requestId);
      try {
        await next();
      } finally {
        outer[ROUTE] = routeLabel(c);
        setRequestIdHeader(c, outer.requestId);
      }
      return;
    }
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    const ip = clientIp?.(c);
    const store: RequestStore = { requestId, ...(ip ? { ip } : {}), [LOGGER]: logger };
    c.set('requestId', requestId);
    c.set('logger', logger);
    // Set before the handler so the response is built with it. Setting it afterwards with c.header()
    // would make Hono copy the finished response into a new one, turning @hono/node-server's fast
    // path (string body written at once) into a web-stream copy on every request.
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    return runWithLogFields(store, async () => {
      try {
        if (hasNulInQuery(c)) {
          c.res = renderApiError(
            c as Context<AppEnv>,
            new ApiError(
              'BAD_REQUEST',
              'The query string contains a NUL character (%00), which is not accepted.',
            ),
          );
          return c.res;
        }
        await next();
      } finally {
        setRequestIdHeader(c, requestId);
        const seconds = (performance.now() - started) / 1000;
        const route = store[ROUTE] ?? routeLabel(c);
        metrics?.httpRequests.inc({ method: c.req.method, route, status: c.res.status });
        metrics?.httpDuration.observe({ method: c.req.method, route }, seconds);
        logger.info('request', {
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          durationMs: Math.round(seconds * 10_000) / 10,
          userId: c.get('principal')?.userId,
        });
      }
    });
  };
}

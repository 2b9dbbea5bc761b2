import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Resolves the client IP of a request. */
export type ClientIpResolver = (c: Context) => string;

/**
 * The client IP: the socket's remote address, or with `trustProxy` the single address in
 * `X-Forwarded-For` set by the proxy in front. `unknown` when neither is available (in-process requests).
 */
export function createClientIpResolver(options: { trustProxy: boolean }): ClientIpResolver {
  return (c) => {
    if (options.trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
}

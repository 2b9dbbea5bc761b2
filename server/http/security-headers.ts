import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './principal.ts';

/** Headers every API answer carries (the pages set their own CSP). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
];

/**
 * Sets {@link SECURITY_HEADERS}. They are prepared before the handler runs (cheap: the response is built
 * with them); a handler that returns its own Response (better-auth) gets them added afterwards.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
    if (c.res.headers.get('x-content-type-options') === null) {
      for (const [name, value] of SECURITY_HEADERS) c.res.headers.set(name, value);
    }
  };
}

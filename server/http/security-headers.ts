import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './principal.ts';

/** Headers every API answer carries (the pages set their own CSP). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
];

/** Sent only on answers to https requests: over plain http a browser ignores it (RFC 6797 §8.1). */
export const HSTS: readonly [string, string] = [
  'Strict-Transport-Security',
  'max-age=15552000; includeSubDomains',
];

/** Options of {@link securityHeaders}. */
export interface SecurityHeadersOptions {
  /** Whether the client used https (the URL's scheme, or a trusted proxy's X-Forwarded-Proto). */
  isHttps: (c: Context) => boolean;
}

/**
 * Sets {@link SECURITY_HEADERS}, and {@link HSTS} over https. They are prepared before the handler runs
 * (cheap: the response is built with them); a handler that returns its own Response (better-auth) gets
 * them added afterwards.
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const headers = options.isHttps(c) ? [...SECURITY_HEADERS, HSTS] : SECURITY_HEADERS;
    for (const [name, value] of headers) c.header(name, value);
    await next();
    if (c.res.headers.get('x-content-type-options') === null) {
      for (const [name, value] of headers) c.res.headers.set(name, value);
    }
  };
}

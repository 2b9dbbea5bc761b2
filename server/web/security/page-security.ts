import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { readViewer } from '../auth-bridge.ts';
import type { WebContext, WebEnv } from '../web-env.ts';
import { CSRF_COOKIE, CSRF_FIELD, csrfTokenFor, newCsrfCookieValue, verifyCsrfToken } from './csrf-token.ts';

/** Thrown when a form post fails the CSRF checks; rendered as a 403 page. */
export class CsrfError extends Error {
  constructor() {
    super('The form could not be verified.');
    this.name = 'CsrfError';
  }
}

/**
 * The pages' Content-Security-Policy as a header value, for a page answered outside the pages' app (the
 * API app's 500 page for a browser, server/web/pages/error-page.tsx); the same policy as {@link pageHeaders}.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'";

/**
 * Security headers of the pages: a CSP without inline script or style (only this origin's files),
 * no framing, no referrer leaks to other sites, HSTS when served over https.
 */
export function pageHeaders(web: Pick<WebContext, 'secure'>): MiddlewareHandler<WebEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      // Billing and social sign-in forms end in a redirect to Stripe / the OAuth provider.
      formAction: ["'self'", 'https:'],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    strictTransportSecurity: web.secure ? 'max-age=31536000; includeSubDomains' : false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
}

/**
 * Loads the viewer from the session cookie, makes sure the browser has a CSRF cookie and exposes the
 * form token for this browser and session as `csrfToken`.
 */
export function viewerAndToken(web: WebContext): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const viewer = await readViewer(web, c.req.header('cookie'));
    let cookieValue = getCookie(c, CSRF_COOKIE);
    if (!cookieValue || cookieValue.length < 16 || cookieValue.length > 64) {
      cookieValue = newCsrfCookieValue();
      if (c.req.method === 'GET') {
        setCookie(c, CSRF_COOKIE, cookieValue, {
          path: '/',
          httpOnly: true,
          sameSite: 'Lax',
          secure: web.secure,
        });
      }
    }
    c.set('viewer', viewer);
    c.set(
      'csrfToken',
      csrfTokenFor({ secret: web.secret, cookieValue, sessionId: viewer?.sessionId ?? null }),
    );
    await next();
  };
}

async function postedToken(c: Context<WebEnv>): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const value = (await c.req.parseBody())[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/**
 * CSRF defence for every non-GET page request, two layers: the `Origin` (or `Sec-Fetch-Site`) must be
 * this site (Hono's csrf middleware, 403 otherwise), and the form must carry the token bound to this
 * browser's CSRF cookie and session (pages accept only form bodies, so other content types fail here).
 * Runs after {@link viewerAndToken}.
 */
export function requireFormToken(web: WebContext): MiddlewareHandler<WebEnv>[] {
  const tokenCheck: MiddlewareHandler<WebEnv> = async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const ok = verifyCsrfToken({
      secret: web.secret,
      cookieValue: getCookie(c, CSRF_COOKIE),
      sessionId: c.get('viewer')?.sessionId ?? null,
      given: await postedToken(c),
    });
    if (!ok) throw new CsrfError();
    await next();
  };
  return [csrf({ origin: web.origin, secFetchSite: 'same-origin' }), tokenCheck];
}

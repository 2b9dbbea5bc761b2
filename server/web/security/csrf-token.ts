import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Name of the cookie holding the browser's random CSRF binding value. */
export const CSRF_COOKIE = 'specmint_csrf';
/** Name of the hidden form field carrying the token. */
export const CSRF_FIELD = '_csrf';

/** A fresh random value for the CSRF cookie. */
export function newCsrfCookieValue(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The CSRF token of a form: an HMAC of the browser's cookie value and the session id (`anonymous` when
 * signed out), so a token is bound to one browser and one session and cannot be minted by another site.
 */
export function csrfTokenFor(options: {
  secret: string;
  cookieValue: string;
  sessionId: string | null;
}): string {
  return createHmac('sha256', options.secret)
    .update(`specmint-csrf\0${options.cookieValue}\0${options.sessionId ?? 'anonymous'}`)
    .digest('base64url');
}

/** True when `given` is the token for this cookie and session (constant-time comparison). */
export function verifyCsrfToken(options: {
  secret: string;
  cookieValue: string | undefined;
  sessionId: string | null;
  given: string | undefined;
}): boolean {
  if (!options.cookieValue || !options.given) return false;
  const expected = Buffer.from(
    csrfTokenFor({ secret: options.secret, cookieValue: options.cookieValue, sessionId: options.sessionId }),
  );
  const given = Buffer.from(options.given);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

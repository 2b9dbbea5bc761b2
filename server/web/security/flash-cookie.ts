import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WebContext, WebEnv } from '../web-env.ts';

/**
 * One-time values carried across a POST-redirect-GET (a new CI token's secret, shown once on the page
 * the redirect leads to): AES-256-GCM encrypted with a key derived from the server secret, bound to the
 * viewer's session, HttpOnly, limited to the path that shows it, gone after two minutes or the first read.
 */

const COOKIE = 'specmint_flash';
const MAX_AGE_SECONDS = 120;

function keyFor(secret: string): Buffer {
  return createHash('sha256').update(`specmint flash cookie\u0000${secret}`).digest();
}

/** Seals `value` for `sessionId` into the cookie for `path`. */
export function setFlash(
  c: Context<WebEnv>,
  web: WebContext,
  options: { path: string; sessionId: string; value: unknown },
) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(web.secret), iv);
  const plain = JSON.stringify({ s: options.sessionId, v: options.value, t: Date.now() });
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const cookie = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  setCookie(c, COOKIE, cookie, {
    path: options.path,
    httpOnly: true,
    sameSite: 'Lax',
    secure: web.secure,
    maxAge: MAX_AGE_SECONDS,
  });
}

/** Reads and clears the flash value for `sessionId` at `path` (null when absent, stale or not this session's). */
export function takeFlash(
  c: Context<WebEnv>,
  web: WebContext,
  options: { path: string; sessionId: string },
): unknown {
  const cookie = getCookie(c, COOKIE);
  if (!cookie) return null;
  deleteCookie(c, COOKIE, { path: options.path, secure: web.secure, httpOnly: true, sameSite: 'Lax' });
  try {
    const raw = Buffer.from(cookie, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyFor(web.secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(plain) as { s: string; v: unknown; t: number };
    if (parsed.s !== options.sessionId || Date.now() - parsed.t > MAX_AGE_SECONDS * 1000) return null;
    return parsed.v;
  } catch {
    return null;
  }
}

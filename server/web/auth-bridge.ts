/**
 * The pages talk to better-auth through its HTTP handler (not `auth.api.*`) so that every page action
 * gets exactly the API's behaviour: per-IP rate limits, origin checks, cookie handling.
 */
import type { Context } from 'hono';
import { CLIENT_IP_HEADER } from '../auth/create-auth.ts';
import type { Viewer, WebContext, WebEnv } from './web-env.ts';

/** One call to better-auth. */
export interface AuthCall {
  method: 'GET' | 'POST';
  /** Path below `/api/auth`, e.g. `/sign-in/email`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** Answer of {@link callAuth}: status, parsed JSON body (or null) and the original response. */
export interface AuthResult {
  status: number;
  ok: boolean;
  body: Record<string, unknown> | null;
  response: Response;
}

/** Calls better-auth's handler as the browser behind `c` (its cookies, user agent and address). */
export async function callAuth(web: WebContext, c: Context<WebEnv>, call: AuthCall): Promise<AuthResult> {
  const url = new URL(`/api/auth${call.path}`, web.deps.baseUrl);
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
  const headers = new Headers({ origin: web.origin, [CLIENT_IP_HEADER]: web.deps.clientIp(c) });
  const cookie = c.req.header('cookie');
  if (cookie) headers.set('cookie', cookie);
  const userAgent = c.req.header('user-agent');
  if (userAgent) headers.set('user-agent', userAgent);
  if (call.body !== undefined) headers.set('content-type', 'application/json');
  const response = await web.deps.auth.handler(
    new Request(url, {
      method: call.method,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    }),
  );
  let body: Record<string, unknown> | null = null;
  if (response.headers.get('content-type')?.includes('json')) {
    body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  }
  return { status: response.status, ok: response.ok, body, response };
}

/** Copies better-auth's `Set-Cookie` headers (session, sign-out) onto the page response. */
export function forwardCookies(c: Context<WebEnv>, result: AuthResult): void {
  for (const cookie of result.response.headers.getSetCookie())
    c.header('Set-Cookie', cookie, { append: true });
}

/** better-auth's error code in a failed answer (`INVALID_EMAIL_OR_PASSWORD`, `expired_token`, …). */
export function authErrorCode(result: AuthResult): string {
  const code = result.body?.code ?? result.body?.error;
  return typeof code === 'string' ? code : '';
}

/** Seconds to wait after a 429 from better-auth. */
export function retryAfterSeconds(result: AuthResult): number {
  return Number(result.response.headers.get('x-retry-after')) || 60;
}

/** The signed-in user of the request's session cookie, or null. Bearer headers are ignored on pages. */
export async function readViewer(web: WebContext, cookie: string | undefined): Promise<Viewer | null> {
  if (!cookie) return null;
  const session = await web.deps.auth.api.getSession({ headers: new Headers({ cookie }) });
  if (!session) return null;
  return {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    createdAt: new Date(session.user.createdAt),
    emailVerified: session.user.emailVerified === true,
    sessionId: session.session.id,
  };
}

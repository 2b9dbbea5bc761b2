import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AuthResult, authErrorCode, callAuth, retryAfterSeconds } from '../auth-bridge.ts';
import { findDeviceOutcome, recordDeviceOutcome } from '../data/device-outcomes.ts';
import { DevicePage, type DeviceView } from '../pages/device-page.tsx';
import { pageContext, renderPage } from '../render.ts';
import { formText, normaliseUserCode } from '../validation.ts';
import type { WebContext, WebEnv } from '../web-env.ts';

const STATUS: Record<DeviceView['kind'], ContentfulStatusCode> = {
  enter: 200,
  review: 200,
  approved: 200,
  denied: 200,
  expired: 410,
  used: 409,
  'other-account': 403,
  unknown: 404,
  'rate-limited': 429,
};

function show(c: Context<WebEnv>, view: DeviceView, status?: ContentfulStatusCode) {
  return renderPage(c, <DevicePage {...pageContext(c)} view={view} />, status ?? STATUS[view.kind]);
}

function signInFirst(c: Context<WebEnv>, code: string) {
  const back = code ? `/device?user_code=${encodeURIComponent(code)}` : '/device';
  return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
}

/** Maps a failed better-auth device answer to a page; null when it is not one the page explains. */
export function failureView(
  result: Pick<AuthResult, 'status' | 'body'>,
  code: string,
  retryAfter = 60,
): DeviceView | null {
  const error = typeof result.body?.error === 'string' ? result.body.error : '';
  const description = typeof result.body?.error_description === 'string' ? result.body.error_description : '';
  if (result.status === 429)
    return { kind: 'rate-limited', minutes: Math.max(1, Math.ceil(retryAfter / 60)) };
  if (result.status === 403) return { kind: 'other-account', code };
  if (result.status !== 400) return null;
  if (error === 'expired_token') return { kind: 'expired', code };
  if (/already processed/i.test(description)) return { kind: 'used', code };
  return { kind: 'unknown', code };
}

/** Maps a successful `GET /api/auth/device` answer (which claims the code for the viewer) to a page. */
export function lookupView(body: Record<string, unknown> | null, code: string): DeviceView {
  const status = body?.status;
  if (status === 'approved' || status === 'denied') return { kind: 'used', code };
  const clientId = body?.client_id;
  // better-auth shows the client only to the account that claimed the code first.
  if (typeof clientId !== 'string') return { kind: 'other-account', code };
  return { kind: 'review', code, clientId, scope: typeof body?.scope === 'string' ? body.scope : null };
}

async function lookUp(c: Context<WebEnv>, web: WebContext) {
  const typed = c.req.query('user_code');
  const code = normaliseUserCode(typed);
  if (!c.get('viewer')) return signInFirst(c, code);
  if (typed === undefined) return show(c, { kind: 'enter' });
  if (!code) return show(c, { kind: 'enter', error: 'Enter the code shown in your terminal.' }, 400);
  const result = await callAuth(web, c, { method: 'GET', path: '/device', query: { user_code: code } });
  if (result.ok) return show(c, lookupView(result.body, code));
  const view = failureView(result, code, retryAfterSeconds(result));
  if (!view) throw new Error(`device lookup failed: HTTP ${result.status} ${authErrorCode(result)}`);
  // better-auth forgets a code once the CLI redeemed it: a code decided here is "already used", not unknown.
  if (view.kind === 'unknown' && (await findDeviceOutcome(web.deps.database.db, code, web.deps.clock()))) {
    return show(c, { kind: 'used', code });
  }
  return show(c, view);
}

async function decide(c: Context<WebEnv>, web: WebContext, decision: 'approve' | 'deny') {
  const code = normaliseUserCode(formText(await c.req.parseBody(), 'user_code'));
  if (!c.get('viewer')) return signInFirst(c, code);
  if (!code) return show(c, { kind: 'enter', error: 'Enter the code shown in your terminal.' }, 400);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: `/device/${decision}`,
    body: { userCode: code },
  });
  if (result.ok) {
    const outcome = decision === 'approve' ? 'approved' : 'denied';
    await recordDeviceOutcome(web.deps.database.db, {
      userCode: code,
      userId: c.get('viewer')?.userId ?? '',
      outcome,
      now: web.deps.clock(),
    });
    return show(c, { kind: outcome, code });
  }
  if (result.status === 401) return signInFirst(c, code);
  const view = failureView(result, code, retryAfterSeconds(result));
  if (!view) throw new Error(`device ${decision} failed: HTTP ${result.status} ${authErrorCode(result)}`);
  return show(c, view);
}

/** `/device` (enter or review a code) and `/device/approve|deny`, through better-auth's device plugin. */
export function registerDeviceRoutes(app: Hono<WebEnv>, web: WebContext): void {
  app.get('/device', (c) => lookUp(c, web));
  app.post('/device/approve', (c) => decide(c, web, 'approve'));
  app.post('/device/deny', (c) => decide(c, web, 'deny'));
}

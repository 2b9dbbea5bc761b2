import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { TokenCreatedSchema, TokenCreateSchema } from '../../../shared/contracts.ts';
import { isPlanId } from '../../../shared/plans.ts';
import { ApiError } from '../../http/api-error.ts';
import { createCiToken, revokeCiToken } from '../../tokens/token-service.ts';
import { readBillingAnswer } from '../data/billing-redirect.ts';
import { loadDashboard } from '../data/load-dashboard.ts';
import { type DashboardExtras, DashboardPage } from '../pages/dashboard-page.tsx';
import { pageContext, renderPage } from '../render.ts';
import { setFlash, takeFlash } from '../security/flash-cookie.ts';
import { formText } from '../validation.ts';
import type { Viewer, WebContext, WebEnv } from '../web-env.ts';

const NOTICES: Record<string, string> = {
  'token-revoked': 'The token was revoked. Anything using it is refused from now on.',
  'token-missing': 'That token no longer exists.',
};

async function show(
  c: Context<WebEnv>,
  web: WebContext,
  viewer: Viewer,
  extras: DashboardExtras = {},
  status: ContentfulStatusCode = 200,
) {
  const query = c.req.method === 'GET' ? c.req.query() : {};
  const data = await loadDashboard(web.deps, viewer, {
    q: query.q,
    format: query.format,
    from: query.from,
    to: query.to,
    cursor: query.cursor,
  });
  return renderPage(c, <DashboardPage {...pageContext(c)} data={data} extras={extras} />, status);
}

function requireViewer(c: Context<WebEnv>): Viewer | Response {
  const viewer = c.get('viewer');
  if (viewer) return viewer;
  const back = c.req.method === 'GET' ? `${c.req.path}${new URL(c.req.url).search}` : '/dashboard';
  return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
}

async function createToken(c: Context<WebEnv>, web: WebContext, viewer: Viewer) {
  const name = formText(await c.req.parseBody(), 'name');
  const parsed = TokenCreateSchema.safeParse({ name });
  if (!parsed.success) {
    const message = name === '' ? 'Give the token a name.' : 'Use at most 64 characters.';
    return show(c, web, viewer, { tokenNameError: message, tokenName: name }, 400);
  }
  try {
    const created = await createCiToken(web.deps.database.db, {
      userId: viewer.userId,
      name: parsed.data.name,
      upgradeUrl: `${web.deps.baseUrl}/pricing`,
    });
    // POST-redirect-GET: reloading the page shows the dashboard, never creates a second token. The secret
    // rides along once, sealed in a short-lived cookie bound to this session.
    setFlash(c, web, { path: '/dashboard', sessionId: viewer.sessionId, value: created });
    return c.redirect('/dashboard#tokens', 303);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'TOKEN_LIMIT_REACHED') {
      const message = `${error.message.split(';')[0]}. Revoke one below or upgrade your plan.`;
      return show(c, web, viewer, { tokenError: message, tokenName: name }, 409);
    }
    throw error;
  }
}

async function billing(c: Context<WebEnv>, web: WebContext, viewer: Viewer, action: 'checkout' | 'portal') {
  let body: Record<string, unknown> = {};
  if (action === 'checkout') {
    const plan = formText(await c.req.parseBody(), 'plan');
    if (!isPlanId(plan) || plan === 'free')
      return show(c, web, viewer, { billingError: 'Choose Pro or Enterprise.' }, 400);
    body = { plan };
  }
  const response = await web.api(
    new Request(`${web.deps.baseUrl}/v1/billing/${action}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: web.origin,
        cookie: c.req.header('cookie') ?? '',
        ...(c.req.header('user-agent') ? { 'user-agent': c.req.header('user-agent') ?? '' } : {}),
      },
      body: JSON.stringify(body),
    }),
    c.env,
  );
  const outcome = await readBillingAnswer(response);
  if (outcome.ok) return c.redirect(outcome.url, 303);
  return show(c, web, viewer, { billingError: outcome.message }, outcome.status);
}

/** `/dashboard` and its forms (CI tokens, billing buttons). Every query is scoped to the viewer. */
export function registerDashboardRoutes(app: Hono<WebEnv>, web: WebContext): void {
  const signedIn =
    (handler: (c: Context<WebEnv>, viewer: Viewer) => Promise<Response>) => async (c: Context<WebEnv>) => {
      const viewer = requireViewer(c);
      return viewer instanceof Response ? viewer : handler(c, viewer);
    };
  app.get(
    '/dashboard',
    signedIn((c, viewer) => {
      const notice = NOTICES[c.req.query('notice') ?? ''];
      const created = TokenCreatedSchema.safeParse(
        takeFlash(c, web, { path: '/dashboard', sessionId: viewer.sessionId }),
      );
      return show(c, web, viewer, {
        ...(notice ? { tokenNotice: notice } : {}),
        ...(created.success ? { createdToken: created.data } : {}),
      });
    }),
  );
  app.post(
    '/dashboard/tokens',
    signedIn((c, viewer) => createToken(c, web, viewer)),
  );
  app.post(
    '/dashboard/tokens/:id/revoke',
    signedIn(async (c, viewer) => {
      const id = c.req.param('id') ?? '';
      const revoked = await revokeCiToken(web.deps.database.db, viewer.userId, id);
      if (revoked) web.deps.ciTokens.forgetToken(id);
      return c.redirect(`/dashboard?notice=${revoked ? 'token-revoked' : 'token-missing'}#tokens`, 303);
    }),
  );
  app.post(
    '/dashboard/billing/checkout',
    signedIn((c, viewer) => billing(c, web, viewer, 'checkout')),
  );
  app.post(
    '/dashboard/billing/portal',
    signedIn((c, viewer) => billing(c, web, viewer, 'portal')),
  );
}

import type { Context, Hono } from 'hono';
import { readSubscription } from '../../accounts/subscription.ts';
import { effectiveEntitlement } from '../../entitlements/effective-plan.ts';
import { HomePage, PricingPage } from '../pages/home-page.tsx';
import { pageContext, renderPage } from '../render.ts';
import type { WebContext, WebEnv } from '../web-env.ts';

/** The plan the signed-in viewer is entitled to now (null when signed out). */
async function currentPlan(c: Context<WebEnv>, web: WebContext) {
  const viewer = c.get('viewer');
  if (!viewer) return null;
  const stored = await readSubscription(web.deps.database.db, viewer.userId);
  return effectiveEntitlement(stored, web.deps.clock()).plan;
}

/** `/` and `/pricing` (public; a signed-in viewer's plan card says "Current plan"). */
export function registerHomeRoutes(app: Hono<WebEnv>, web: WebContext): void {
  app.get('/', async (c) =>
    renderPage(c, <HomePage {...pageContext(c)} currentPlan={await currentPlan(c, web)} />),
  );
  app.get('/pricing', async (c) =>
    renderPage(c, <PricingPage {...pageContext(c)} currentPlan={await currentPlan(c, web)} />),
  );
}

import type { Hono } from 'hono';
import { HomePage, PricingPage } from '../pages/home-page.tsx';
import { pageContext, renderPage } from '../render.ts';
import type { WebEnv } from '../web-env.ts';

/** `/` and `/pricing` (public). */
export function registerHomeRoutes(app: Hono<WebEnv>): void {
  app.get('/', (c) => renderPage(c, <HomePage {...pageContext(c)} />));
  app.get('/pricing', (c) => renderPage(c, <PricingPage {...pageContext(c)} />));
}

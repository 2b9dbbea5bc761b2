import type { Context } from 'hono';
import type { AppDeps } from '../app-deps.ts';
import type { App, AppEnv } from '../http/principal.ts';
import { createWebApp } from './create-web-app.tsx';
import { renderErrorPage } from './pages/error-page.tsx';

const PAGES = new Set([
  '/',
  '/pricing',
  '/sign-in',
  '/sign-up',
  '/sign-out',
  '/device',
  '/dashboard',
  '/settings',
  '/check-email',
  '/verify-email',
  '/forgot-password',
  '/reset-password',
]);
const PREFIXES = ['/assets/', '/sign-in/', '/device/', '/dashboard/', '/settings/', '/check-email/'];

/** Paths that belong to API clients: they always answer the JSON error envelope. */
const API_PREFIXES = ['/v1/', '/api/', '/webhooks/', '/.well-known/', '/internal/'];
const API_PATHS = new Set(['/v1', '/api', '/webhooks', '/openapi.json', '/healthz', '/readyz', '/metrics']);

/** True for the paths the web pages own (everything else is the API's). */
export function isPagePath(path: string): boolean {
  return PAGES.has(path) || PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** True for the API's paths (`/v1`, `/api`, `/webhooks`, `/.well-known`, …). */
export function isApiPath(path: string): boolean {
  return API_PATHS.has(path) || API_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * Whether a failed request (404, 500) gets an HTML page rather than the JSON envelope: a browser asking
 * for a page — `Accept` names `text/html` — on a path that is not the API's. API clients (the CLI sends
 * `Accept: application/json`, curl accepts any type) keep the envelope.
 */
export function wantsHtmlPage(path: string, accept: string | undefined): boolean {
  return !isApiPath(path) && /\btext\/html\b/i.test(accept ?? '');
}

/** Hono copies the API's headers onto a replaced response; the page's own (CSP, cookies…) must win. */
function replaceResponse(c: Context<AppEnv>, page: Response): void {
  c.res = page;
  for (const [name, value] of page.headers) if (name !== 'set-cookie') c.res.headers.set(name, value);
  const cookies = page.headers.getSetCookie();
  if (cookies.length > 0) {
    c.res.headers.delete('set-cookie');
    for (const cookie of cookies) c.res.headers.append('set-cookie', cookie);
  }
}

/**
 * Mounts the web pages (`/`, `/pricing`, `/sign-in`, `/sign-up`, `/device`, `/dashboard`, `/settings`,
 * the e-mail pages and their assets). Call it before the API middleware: page requests are answered by
 * the pages' own app (HTML errors, a CSP that allows this origin's stylesheet, CSRF-checked forms) and
 * never reach the API's JSON middleware; every other request passes through. When one of those fails with
 * 404 or 5xx and a browser asked for a page ({@link wantsHtmlPage}), the JSON envelope is replaced by a page
 * in the site's layout with a way on; API clients keep the envelope.
 */
export function registerWebRoutes(app: App, deps: AppDeps): void {
  const web = createWebApp(deps, { api: (request, env) => app.fetch(request, env) });
  app.use('*', async (c, next) => {
    if (isPagePath(c.req.path)) return web.fetch(c.req.raw, c.env);
    await next();
    const status = c.res.status;
    if (status !== 404 && status < 500) return;
    if (!wantsHtmlPage(c.req.path, c.req.header('accept'))) return;
    if (!c.res.headers.get('content-type')?.includes('json')) return;
    if (status === 404 && c.req.method !== 'GET' && c.req.method !== 'HEAD') return;
    // No page lives here: the pages' app answers its not-found page (with the viewer's navigation).
    const page =
      status === 404
        ? await web.fetch(c.req.raw, c.env)
        : await renderErrorPage({
            status: status === 503 ? 503 : 500,
            requestId: c.get('requestId') ?? 'unknown',
            path: c.req.path,
          });
    replaceResponse(c, page);
  });
}

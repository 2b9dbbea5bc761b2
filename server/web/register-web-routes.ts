import type { App } from '../app.ts';
import type { AppDeps } from '../app-deps.ts';
import { createWebApp } from './create-web-app.tsx';

const PAGES = new Set([
  '/',
  '/pricing',
  '/sign-in',
  '/sign-up',
  '/sign-out',
  '/device',
  '/dashboard',
  '/settings',
]);
const PREFIXES = ['/assets/', '/sign-in/', '/device/', '/dashboard/', '/settings/'];

/** True for the paths the web pages own (everything else is the API's). */
export function isPagePath(path: string): boolean {
  return PAGES.has(path) || PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * Mounts the web pages (`/`, `/pricing`, `/sign-in`, `/sign-up`, `/device`, `/dashboard`, `/settings`
 * and their assets). Call it before the API middleware: page requests are answered by the pages' own
 * app (HTML errors, a CSP that allows this origin's stylesheet, CSRF-checked forms) and never reach the
 * API's JSON middleware; every other request passes through untouched.
 */
export function registerWebRoutes(app: App, deps: AppDeps): void {
  const web = createWebApp(deps, { api: (request, env) => app.fetch(request, env) });
  app.use('*', async (c, next) => {
    if (!isPagePath(c.req.path)) return next();
    return web.fetch(c.req.raw, c.env);
  });
}

import type { Context, ErrorHandler } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../app-deps.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { requestContext } from '../http/request-context.ts';
import { registerAssets } from './assets/serve-assets.ts';
import { type ErrorKind, ErrorPage } from './pages/error-page.tsx';
import { pageContext, renderPage } from './render.ts';
import { registerAuthRoutes } from './routes/auth-routes.tsx';
import { registerDashboardRoutes } from './routes/dashboard-routes.tsx';
import { registerDeviceRoutes } from './routes/device-routes.tsx';
import { registerEmailRoutes } from './routes/email-routes.tsx';
import { registerHomeRoutes } from './routes/home-routes.tsx';
import { registerSettingsRoutes } from './routes/settings-routes.tsx';
import { CsrfError, pageHeaders, requireFormToken, viewerAndToken } from './security/page-security.ts';
import type { SocialProvider, WebContext, WebEnv } from './web-env.ts';

/** Options of {@link createWebApp}. */
export interface CreateWebAppOptions {
  /** Sends a request to the licence server's API in-process (the main app's `fetch`). */
  api: WebContext['api'];
}

function errorKind(error: unknown): ErrorKind {
  if (error instanceof CsrfError || (error instanceof HTTPException && error.status === 403)) return 403;
  if (error instanceof HTTPException && error.status === 413) return 413;
  if (isDatabaseUnavailable(error)) return 503;
  return 500;
}

function errorHandler(deps: AppDeps): ErrorHandler<WebEnv> {
  return (error, c) => {
    const kind = errorKind(error);
    const logger = c.get('logger') ?? deps.logger;
    if (kind >= 500) logger.error('page failed', { error });
    return renderPage(
      c,
      <ErrorPage
        {...pageContext(c)}
        viewer={c.get('viewer') ?? null}
        csrfToken={c.get('csrfToken') ?? ''}
        kind={kind}
        requestId={c.get('requestId')}
      />,
      kind,
    );
  };
}

function socialProviders(deps: AppDeps): SocialProvider[] {
  const configured = (deps.auth.options.socialProviders ?? {}) as Partial<Record<SocialProvider, unknown>>;
  return (['github', 'google'] as const).filter((provider) => configured[provider] !== undefined);
}

/**
 * The licence server's web pages as their own Hono app, with their own middleware: HTML error pages,
 * a CSP that allows this origin's stylesheet and script, the viewer from the session cookie and CSRF
 * checks on every form.
 */
export function createWebApp(deps: AppDeps, options: CreateWebAppOptions): Hono<WebEnv> {
  const origin = new URL(deps.baseUrl).origin;
  const web: WebContext = {
    deps,
    api: options.api,
    secret: deps.auth.options.secret ?? '',
    secure: origin.startsWith('https:'),
    origin,
    socialProviders: socialProviders(deps),
  };
  if (web.secret.length < 32) throw new Error('the web pages need better-auth configured with a secret');
  const app = new Hono<WebEnv>();
  app.onError(errorHandler(deps));
  app.use('*', requestContext(deps.logger) as unknown as Parameters<typeof app.use>[1]);
  app.use('*', pageHeaders(web));
  registerAssets(app);
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.bodyLimitBytes,
      onError: () => {
        throw new HTTPException(413);
      },
    }),
  );
  app.use('*', viewerAndToken(web));
  app.use('*', ...requireFormToken(web));
  registerHomeRoutes(app, web);
  registerAuthRoutes(app, web);
  registerEmailRoutes(app, web);
  registerDeviceRoutes(app, web);
  registerDashboardRoutes(app, web);
  registerSettingsRoutes(app, web);
  app.notFound((c: Context<WebEnv>) => renderPage(c, <ErrorPage {...pageContext(c)} kind={404} />, 404));
  return app;
}

import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import {
  adminCreateTokenRoute,
  adminCreateUserRoute,
  adminSetPlanRoute,
  adminStatsRoute,
  describeGetAdminStats,
  getAdminStats,
  requireAdmin,
} from './admin/admin-routes.ts';
import type { AppDeps } from './app-deps.ts';
import { CLIENT_IP_HEADER } from './auth/create-auth.ts';
import { followSubscription } from './entitlements/follow-subscription.ts';
import { ApiError } from './http/api-error.ts';
import { authenticate } from './http/authenticate.ts';
import { createErrorHandler, notFound } from './http/error-handler.ts';
import type { App, AppEnv } from './http/principal.ts';
import { refuseDeclaredBody } from './http/read-body.ts';
import { requestContext } from './http/request-context.ts';
import { securityHeaders } from './http/security-headers.ts';
import { LIMIT_HEADER } from './http/sign-in-throttle.ts';
import { getMetrics } from './metrics/metrics-route.ts';
import type { ErrorReporter } from './observability/error-reports.ts';
import { getOpenApiDocument } from './openapi/document.ts';
import { createCheckout, describeCreateCheckout } from './routes/billing.checkout.ts';
import { createPortal, describeCreatePortal } from './routes/billing.portal.ts';
import { completeGeneration, describeCompleteGeneration } from './routes/generations.complete.ts';
import { createGeneration, describeCreateGeneration } from './routes/generations.create.ts';
import { describeListGenerations, listGenerations } from './routes/generations.list.ts';
import { describeReleaseGeneration, releaseGeneration } from './routes/generations.release.ts';
import { describeGetHealth, getHealth } from './routes/health.get.ts';
import { describeGetJwks, getJwks } from './routes/jwks.get.ts';
import { describeGetMe, getMe } from './routes/me.get.ts';
import { describeGetReady, getReady } from './routes/ready.get.ts';
import { createToken, describeCreateToken } from './routes/tokens.create.ts';
import { deleteToken, describeDeleteToken } from './routes/tokens.delete.ts';
import { describeListTokens, listTokens } from './routes/tokens.list.ts';
import { describeReceiveStripeWebhook, receiveStripeWebhook } from './routes/webhooks.stripe.ts';
import { registerWebRoutes } from './web/register-web-routes.ts';

function reportTo(reporter: ErrorReporter) {
  return (error: unknown, c: Context<AppEnv>) =>
    reporter.report(error, {
      requestId: c.get('requestId') ?? 'unknown',
      method: c.req.method,
      route: routePath(c, -1),
    });
}

function apiMiddleware(app: App, deps: AppDeps): void {
  const origin = new URL(deps.baseUrl).origin;
  const corsForOwnOrigin = cors({
    origin: (requestOrigin) => (requestOrigin === origin ? origin : null),
    credentials: true,
    allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Request-Id'],
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['Retry-After', 'X-Request-Id', 'Idempotent-Replayed', 'set-auth-token'],
    maxAge: 600,
  });
  app.use('*', securityHeaders({ isHttps: deps.isHttps }));
  // Refuse a declared body beyond the limit before any handler runs, also where the handler would not
  // read it (a 10 MB POST to /v1/billing/portal used to get 200). Bodies without a length are limited
  // while read (parseJsonBody, better-auth below, the webhook's own larger limit).
  app.use('*', (c, next) =>
    c.req.path === '/webhooks/stripe' ? next() : refuseDeclaredBody(c, next, deps.bodyLimitBytes),
  );
  // CORS only concerns browsers, which always send Origin; the CLI and CI never do.
  app.use('*', (c, next) => (c.req.header('origin') === undefined ? next() : corsForOwnOrigin(c, next)));
  // /v1 and /internal bodies are limited while they are read (parseJsonBody); better-auth reads its own.
  app.use(
    '/api/auth/*',
    bodyLimit({
      maxSize: deps.bodyLimitBytes,
      onError: () => {
        throw new ApiError(
          'PAYLOAD_TOO_LARGE',
          `Request bodies are limited to ${deps.bodyLimitBytes} bytes.`,
        );
      },
    }),
  );
}

function mountAuth(app: App, deps: AppDeps): void {
  // better-auth rate-limits by client IP read from a header; set it from the socket (never the client).
  app.on(['GET', 'POST'], '/api/auth/*', async (c) => {
    const headers = new Headers(c.req.raw.headers);
    headers.set(CLIENT_IP_HEADER, deps.clientIp(c));
    const response = await deps.auth.handler(new Request(c.req.raw, { headers }));
    if (response.status === 429) {
      // better-auth answers its own shape with X-Retry-After; use the API envelope and Retry-After.
      const perAccount = response.headers.get(LIMIT_HEADER) === 'account';
      const message = perAccount
        ? 'Too many sign-in attempts for this account. Try again later.'
        : 'Too many attempts from this address. Try again later.';
      throw new ApiError('RATE_LIMITED', message, {
        retryAfterSeconds: Number(response.headers.get('x-retry-after')) || 60,
      });
    }
    if (response.status >= 500) await deps.database.ping();
    return response;
  });
}

function mountV1(app: App, deps: AppDeps): void {
  app.use(
    '/v1/*',
    authenticate({
      db: deps.database.db,
      auth: deps.auth,
      ciTokens: deps.ciTokens,
      rateStore: deps.rateStore,
      failuresPerIpPerMinute: deps.authFailuresPerMinute,
      failuresPerCredentialPerMinute: deps.authFailuresPerCredentialPerMinute,
      requestsPerAccountPerMinute: deps.apiRateLimitPerMinute,
      onRateLimited: (limiter) => deps.metrics.rateLimitHits.inc({ limiter }),
      clientIp: deps.clientIp,
      origin: new URL(deps.baseUrl).origin,
    }),
  );
  // The plan follows the subscription: a lapsed paid plan (grace over, canceled period ended) is Free.
  app.use('/v1/*', followSubscription({ clock: deps.clock }));
  app.get('/v1/me', describeGetMe, getMe(deps));
  app.post('/v1/generations', describeCreateGeneration, createGeneration(deps));
  app.get('/v1/generations', describeListGenerations, listGenerations(deps));
  app.post('/v1/generations/:id/complete', describeCompleteGeneration, completeGeneration(deps));
  app.post('/v1/generations/:id/release', describeReleaseGeneration, releaseGeneration(deps));
  app.get('/v1/tokens', describeListTokens, listTokens(deps));
  app.post('/v1/tokens', describeCreateToken, createToken(deps));
  app.delete('/v1/tokens/:id', describeDeleteToken, deleteToken(deps));
  app.post('/v1/billing/checkout', describeCreateCheckout, createCheckout(deps));
  app.post('/v1/billing/portal', describeCreatePortal, createPortal(deps));
  app.get('/v1/admin/stats', describeGetAdminStats, getAdminStats(deps));
}

function mountAdmin(app: App, deps: AppDeps): void {
  app.use('/internal/admin/*', requireAdmin(deps));
  app.post('/internal/admin/users', adminCreateUserRoute(deps));
  app.post('/internal/admin/plan', adminSetPlanRoute(deps));
  app.post('/internal/admin/tokens', adminCreateTokenRoute(deps));
  app.post('/internal/admin/stats', adminStatsRoute(deps));
}

/**
 * Builds the licence server's HTTP app (no listening: `main.ts` serves it, tests call `app.request`).
 * Every route is registered here explicitly.
 */
export function createApp(deps: AppDeps): App {
  const app: App = new Hono<AppEnv>();
  app.onError(
    createErrorHandler({
      logger: deps.logger,
      forgetUser: (userId) => deps.ciTokens.forgetUser(userId),
      ...(deps.errorReporter ? { reportError: reportTo(deps.errorReporter) } : {}),
    }),
  );
  app.notFound(notFound);
  // First, for pages and API alike: the request id on every log line, the access log, the metrics.
  app.use('*', requestContext({ logger: deps.logger, clientIp: deps.clientIp, metrics: deps.metrics }));
  registerWebRoutes(app, deps); // web pages (server/web): before the API middleware, see there
  apiMiddleware(app, deps);

  app.get('/healthz', describeGetHealth, getHealth);
  app.get('/readyz', describeGetReady, getReady(deps));
  app.get('/.well-known/jwks.json', describeGetJwks, getJwks(deps));
  // Generated from the routes above and below that carry a description (server/routes/*.ts).
  app.get('/openapi.json', getOpenApiDocument(app, deps.baseUrl));
  app.get('/metrics', getMetrics(deps.metrics, deps.metricsToken));
  mountAuth(app, deps);
  // Stripe signs the raw body; no session or token (the signature is the authentication).
  app.post('/webhooks/stripe', describeReceiveStripeWebhook, receiveStripeWebhook(deps));
  mountV1(app, deps);
  mountAdmin(app, deps);
  return app;
}

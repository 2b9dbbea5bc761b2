import { Hono } from 'hono';
import { ApiError } from '../http/api-error.ts';
import { createErrorHandler, notFound } from '../http/error-handler.ts';
import type { AppEnv } from '../http/principal.ts';
import { createSilentLogger } from '../logger.ts';
import type { Metrics } from './metrics.ts';
import { getMetrics } from './metrics-route.ts';

/**
 * The app of the METRICS_PORT listener: only `GET /metrics`. It is meant for a private network, so it
 * needs no token unless METRICS_TOKEN is set (then the same Bearer token as on the main port).
 */
export function createMetricsApp(metrics: Metrics, token: string | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(createSilentLogger()));
  app.notFound(notFound);
  app.use('*', async (c, next) => {
    c.set('requestId', 'metrics');
    await next();
  });
  if (token === undefined) {
    app.get('/metrics', async (c) =>
      c.body(await metrics.registry.metrics(), 200, {
        'Content-Type': metrics.registry.contentType,
        'Cache-Control': 'no-store',
      }),
    );
  } else {
    app.get('/metrics', getMetrics(metrics, token));
  }
  app.all('/metrics', () => {
    throw new ApiError('BAD_REQUEST', 'Only GET /metrics is served here.');
  });
  return app;
}

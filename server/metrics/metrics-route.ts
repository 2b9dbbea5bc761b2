import { timingSafeEqual } from 'node:crypto';
import type { Handler } from 'hono';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import type { Metrics } from './metrics.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics`: the Prometheus text exposition. With `token` unset it does not exist (404 NOT_FOUND,
 * like any unknown path); otherwise it needs `Authorization: Bearer <token>` (401 UNAUTHENTICATED for a
 * missing or wrong one — a scraper misconfiguration should say what is wrong, and the endpoint's
 * existence is no secret).
 */
export function getMetrics(metrics: Metrics, token: string | undefined): Handler<AppEnv> {
  return async (c) => {
    if (token === undefined) throw new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`);
    const given = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (given === undefined || !sameSecret(given, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new ApiError('UNAUTHENTICATED', 'GET /metrics needs Authorization: Bearer $METRICS_TOKEN.');
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  };
}

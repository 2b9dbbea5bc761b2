import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import { DB_RETRY_AFTER_SECONDS } from '../http/error-handler.ts';
import type { AppEnv } from '../http/principal.ts';
import { error } from '../openapi/describe.ts';

/** `GET /readyz` in /openapi.json. */
export const describeGetReady = describeRoute({
  operationId: 'getReady',
  summary: 'Readiness (database reachable)',
  security: [],
  responses: { '200': { description: 'OK' }, '503': error('SERVICE_UNAVAILABLE') },
});

/** `GET /readyz`: 200 when the database answers, 503 SERVICE_UNAVAILABLE (with Retry-After) otherwise. */
export function getReady(deps: Pick<AppDeps, 'database'>): Handler<AppEnv> {
  return async (c) => {
    try {
      await deps.database.ping();
    } catch (error) {
      c.get('logger').warn('readiness check failed', { error });
      throw new ApiError('SERVICE_UNAVAILABLE', 'The database is unreachable.', {
        retryAfterSeconds: DB_RETRY_AFTER_SECONDS,
      });
    }
    return c.json({ status: 'ready', database: deps.database.kind });
  };
}

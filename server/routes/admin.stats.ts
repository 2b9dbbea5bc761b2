import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { AdminStatsSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { readBillingStats } from '../billing/billing-stats.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { error, json } from '../openapi/describe.ts';

/** `GET /v1/admin/stats` in /openapi.json. */
export const describeGetAdminStats = describeRoute({
  operationId: 'getAdminStats',
  summary: 'Billing stats for operators (sessions of SPECMINT_ADMIN_EMAILS accounts)',
  responses: {
    '200': { description: 'OK', content: json('AdminStats', AdminStatsSchema, 'output') },
    '401': error('UNAUTHENTICATED'),
    '403': error('FORBIDDEN: not an operator account'),
  },
});

/**
 * `GET /v1/admin/stats`: the operator's billing view (the JSON of `specmint-server admin stats`). Only for
 * a signed-in session of an account listed in SPECMINT_ADMIN_EMAILS; everyone else gets 403.
 */
export function getAdminStats(deps: Pick<AppDeps, 'database' | 'clock' | 'adminEmails'>): Handler<AppEnv> {
  const admins = new Set(deps.adminEmails.map((email) => email.toLowerCase()));
  return async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'session' || !admins.has(principal.email.toLowerCase())) {
      throw new ApiError(
        'FORBIDDEN',
        'Operators only: sign in with an account listed in SPECMINT_ADMIN_EMAILS (CI tokens are not accepted).',
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.json(await readBillingStats(deps.database.db, deps.clock()));
  };
}

/** `POST /internal/admin/stats`: `admin stats` sent through a running embedded server (loopback + secret). */
export function adminStatsRoute(deps: Pick<AppDeps, 'database' | 'clock'>): Handler<AppEnv> {
  return async (c) => c.json(await readBillingStats(deps.database.db, deps.clock()));
}

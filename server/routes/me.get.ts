import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { Me } from '../../shared/contracts.ts';
import { MeSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { readUsage } from '../entitlements/read-usage.ts';
import type { AppEnv } from '../http/principal.ts';
import { AUTH_ERRORS, json } from '../openapi/describe.ts';

/** `GET /v1/me` in /openapi.json. */
export const describeGetMe = describeRoute({
  operationId: 'getMe',
  summary: 'The caller, their plan and usage this billing period',
  responses: { '200': { description: 'OK', content: json('Me', MeSchema, 'output') }, ...AUTH_ERRORS },
});

/** `GET /v1/me`: the caller, their plan and this period's usage. */
export function getMe(deps: Pick<AppDeps, 'database' | 'clock'>): Handler<AppEnv> {
  return async (c) => {
    const principal = c.get('principal');
    const { usage, period } = await readUsage(deps.database.db, principal, deps.clock());
    const body: Me = {
      user: {
        id: principal.userId,
        email: principal.email,
        name: principal.name,
        createdAt: principal.userCreatedAt.toISOString(),
      },
      plan: principal.plan,
      usage,
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      auth: principal.kind,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  };
}

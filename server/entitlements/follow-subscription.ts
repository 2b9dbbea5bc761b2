import { eq, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/client.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';
import type { AppEnv } from '../http/principal.ts';
import { effectiveEntitlement } from './effective-plan.ts';

/**
 * Runs after `authenticate` on `/v1`: a paid principal whose plan has lapsed (grace after a failed
 * payment is over, a canceled subscription reached its period end) continues as Free on the calendar
 * month. Free principals need no lookup; paid ones cost one primary-key read, so a lapse takes effect on
 * the very next request.
 */
export function followSubscription(deps: { db: Database; clock: () => Date }): MiddlewareHandler<AppEnv> {
  const lookup = deps.db
    .select({ planLapsesAt: subscriptions.planLapsesAt })
    .from(subscriptions)
    .where(eq(subscriptions.userId, sql.placeholder('userId')))
    .prepare('specmint_plan_lapse_lookup');
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal.plan !== 'free') {
      const [row] = await lookup.execute({ userId: principal.userId });
      const planLapsesAt = row?.planLapsesAt ?? null;
      if (planLapsesAt) {
        const entitlement = effectiveEntitlement({ ...principal, planLapsesAt }, deps.clock());
        if (entitlement.plan !== principal.plan) c.set('principal', { ...principal, ...entitlement });
      }
    }
    await next();
  };
}

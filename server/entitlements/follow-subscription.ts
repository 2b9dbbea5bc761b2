import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/principal.ts';
import { effectiveEntitlement } from './effective-plan.ts';

/**
 * Runs after `authenticate` on `/v1`: a paid principal whose plan has lapsed (grace after a failed
 * payment is over, a canceled subscription reached its period end) continues as Free on the calendar
 * month. The lapse instant comes with the principal's subscription state and is compared with the clock
 * on every request, so it takes effect on the very next request without a database read; a changed lapse
 * (a webhook) reaches the principal through the CI-token cache's invalidation (`forgetUser`).
 */
export function followSubscription(deps: { clock: () => Date }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal.plan !== 'free' && principal.planLapsesAt) {
      const entitlement = effectiveEntitlement(principal, deps.clock());
      if (entitlement.plan !== principal.plan) c.set('principal', { ...principal, ...entitlement });
    }
    await next();
  };
}

import { and, eq } from 'drizzle-orm';
import type { Usage } from '../../shared/contracts.ts';
import { PLANS } from '../../shared/plans.ts';
import type { Database } from '../db/client.ts';
import { usageCounters } from '../db/schema/usage-counters.ts';
import type { Principal } from '../http/principal.ts';
import { type BillingPeriod, currentBillingPeriod } from './billing-period.ts';

/** The caller's usage in the billing period containing `now`. */
export async function readUsage(
  db: Database,
  principal: Principal,
  now: Date,
): Promise<{ usage: Usage; period: BillingPeriod }> {
  const period = currentBillingPeriod(now, principal);
  const [row] = await db
    .select({ used: usageCounters.used })
    .from(usageCounters)
    .where(and(eq(usageCounters.userId, principal.userId), eq(usageCounters.periodStart, period.start)));
  const used = row?.used ?? 0;
  const limit = PLANS[principal.plan].generationsPerPeriod;
  return {
    period,
    usage: {
      plan: principal.plan,
      used,
      limit,
      remaining: limit === null ? null : Math.max(0, limit - used),
      periodEnd: period.end.toISOString(),
    },
  };
}

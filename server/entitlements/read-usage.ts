import { sql } from 'drizzle-orm';
import type { Usage } from '../../shared/contracts.ts';
import { PLANS } from '../../shared/plans.ts';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/rows.ts';
import type { Principal } from '../http/principal.ts';
import { type BillingPeriod, currentBillingPeriod } from './billing-period.ts';

/**
 * Specs charged in `period` as at `now`: the counter (completed and reserved charges) less the
 * reservations that expired since the last batch swept them (the next batch will return them).
 */
export async function readUsed(
  db: Database,
  userId: string,
  period: BillingPeriod,
  now: Date,
): Promise<number> {
  const [row] = await queryRows<{ used: number }>(
    db,
    sql`select (coalesce((select u.used from usage_counters u
        where u.user_id = ${userId} and u.period_start = ${period.start.toISOString()}), 0)
      - (select count(*) from generations g where g.user_id = ${userId}
        and g.period_start = ${period.start.toISOString()} and g.charged and g.status = 'issued'
        and g.expires_at is not null and g.expires_at <= ${now.toISOString()}))::int as used`,
  );
  return Math.max(0, Number(row?.used ?? 0));
}

/** The caller's usage in the billing period containing `now`. */
export async function readUsage(
  db: Database,
  principal: Principal,
  now: Date,
): Promise<{ usage: Usage; period: BillingPeriod }> {
  const period = currentBillingPeriod(now, principal);
  const used = await readUsed(db, principal.userId, period, now);
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

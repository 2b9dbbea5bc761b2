import { sql } from 'drizzle-orm';
import * as z from 'zod';
import type { AdminStats } from '../../shared/contracts.ts';
import { PLAN_IDS, PLANS, type PlanId } from '../../shared/plans.ts';
import type { AppDeps } from '../app-deps.ts';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/rows.ts';
import { calendarMonthPeriod } from '../entitlements/billing-period.ts';

interface PlanRow {
  plan: PlanId;
  accounts: number;
  subscribed: number;
  trialing: number;
  past_due: number;
  canceling: number;
}

/**
 * Per entitled plan (the same rule as server/entitlements/effective-plan.ts, in SQL): accounts, and
 * among them those entitled by a live Stripe subscription. Placeholder owners of deleted accounts'
 * ledgers (`@deleted.invalid`) are not accounts.
 */
function planQuery(now: Date) {
  const at = now.toISOString();
  return sql`with entitled as (
      select case
          when s.plan is null or s.plan not in ('pro', 'enterprise') then 'free'
          when s.plan_lapses_at is not null and s.plan_lapses_at <= ${at}::timestamptz then 'free'
          else s.plan end as plan,
        s.stripe_subscription_id is not null
          and s.status in ('active', 'trialing', 'past_due', 'unpaid') as live,
        s.status, s.cancel_at_period_end
      from users u left join subscriptions s on s.user_id = u.id
      where u.email not like '%@deleted.invalid'
    )
    select plan, count(*)::int as accounts,
      (count(*) filter (where live and plan <> 'free'))::int as subscribed,
      (count(*) filter (where live and plan <> 'free' and status = 'trialing'))::int as trialing,
      (count(*) filter (where live and plan <> 'free' and status in ('past_due', 'unpaid')))::int as past_due,
      (count(*) filter (where live and plan <> 'free' and cancel_at_period_end))::int as canceling
    from entitled group by plan`;
}

function eventQuery(start: Date, end: Date) {
  return sql`select type, count(*)::int as count from webhook_events
    where processed_at >= ${start.toISOString()}::timestamptz and processed_at < ${end.toISOString()}::timestamptz
      and type in ('customer.subscription.created', 'customer.subscription.deleted')
    group by type`;
}

/** Sums the per-plan rows into the operator's view. Pure. */
export function summariseStats(input: {
  rows: readonly PlanRow[];
  events: readonly { type: string; count: number }[];
  now: Date;
}): AdminStats {
  const month = calendarMonthPeriod(input.now);
  const byPlan = Object.fromEntries(PLAN_IDS.map((id) => [id, 0])) as Record<PlanId, number>;
  const subscribed = { ...byPlan };
  let trialing = 0;
  let pastDue = 0;
  let canceling = 0;
  let mrrCents = 0;
  for (const row of input.rows) {
    byPlan[row.plan] += row.accounts;
    subscribed[row.plan] += row.subscribed;
    trialing += row.trialing;
    pastDue += row.past_due;
    canceling += row.canceling;
    mrrCents += (row.subscribed - row.trialing) * PLANS[row.plan].priceCents;
  }
  const count = (type: string) => input.events.find((event) => event.type === type)?.count ?? 0;
  const accounts = byPlan.free + byPlan.pro + byPlan.enterprise;
  const paying = subscribed.pro + subscribed.enterprise;
  return {
    generatedAt: input.now.toISOString(),
    month: { start: month.start.toISOString(), end: month.end.toISOString() },
    accountsByPlan: byPlan,
    activeSubscriptions: {
      pro: subscribed.pro,
      enterprise: subscribed.enterprise,
      total: paying,
      trialing,
      pastDue,
      cancelingAtPeriodEnd: canceling,
    },
    mrrCents,
    newThisMonth: count('customer.subscription.created'),
    churnedThisMonth: count('customer.subscription.deleted'),
    conversion: {
      accounts,
      paying,
      rate: accounts === 0 ? 0 : Math.round((paying / accounts) * 10_000) / 10_000,
    },
  };
}

/** `admin stats`: active subscriptions by plan, MRR, new and churned this month, conversion Free → paid. */
export async function readBillingStats(db: Database, now: Date): Promise<AdminStats> {
  const month = calendarMonthPeriod(now);
  const [rows, events] = await Promise.all([
    queryRows<PlanRow>(db, planQuery(now)),
    queryRows<{ type: string; count: number }>(db, eventQuery(month.start, month.end)),
  ]);
  return summariseStats({ rows, events, now });
}

/** The stats as lines for a terminal. */
export function formatBillingStats(stats: AdminStats): string {
  const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
  const active = stats.activeSubscriptions;
  return [
    `Billing stats (${stats.generatedAt}; month from ${stats.month.start.slice(0, 10)})`,
    `  accounts by plan:       free ${stats.accountsByPlan.free}, pro ${stats.accountsByPlan.pro}, enterprise ${stats.accountsByPlan.enterprise}`,
    `  active subscriptions:   pro ${active.pro}, enterprise ${active.enterprise} (total ${active.total}; ` +
      `trialing ${active.trialing}, past due ${active.pastDue}, canceling ${active.cancelingAtPeriodEnd})`,
    `  MRR:                    ${dollars(stats.mrrCents)}`,
    `  new this month:         ${stats.newThisMonth}`,
    `  churned this month:     ${stats.churnedThisMonth}`,
    `  conversion Free → paid: ${(stats.conversion.rate * 100).toFixed(1)}% ` +
      `(${stats.conversion.paying} of ${stats.conversion.accounts} accounts)`,
  ].join('\n');
}

/** `admin stats` takes no input. */
export const AdminStatsInputSchema = z.strictObject({});

/** Runs `specmint-server admin stats` on an open database (directly, or inside the running server). */
export function runAdminStats(deps: Pick<AppDeps, 'database' | 'clock'>): Promise<AdminStats> {
  return readBillingStats(deps.database.db, deps.clock());
}

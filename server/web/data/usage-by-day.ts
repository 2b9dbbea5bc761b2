import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { generations } from '../../db/schema/generations.ts';
import type { BillingPeriod } from '../../entitlements/billing-period.ts';

/** Generations of one UTC day: charged (new spec this period) and free (re-runs). */
export interface DayUsage {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  charged: number;
  free: number;
}

const DAY_MS = 86_400_000;
/** Longest period the chart draws day by day. */
const MAX_DAYS = 62;

/** Every UTC day of `period` (at most {@link MAX_DAYS}), with the counts of `rows` filled in. */
export function fillDays(period: BillingPeriod, rows: readonly DayUsage[]): DayUsage[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const first = Date.UTC(
    period.start.getUTCFullYear(),
    period.start.getUTCMonth(),
    period.start.getUTCDate(),
  );
  const days: DayUsage[] = [];
  for (let time = first; time < period.end.getTime() && days.length < MAX_DAYS; time += DAY_MS) {
    const day = new Date(time).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, charged: 0, free: 0 });
  }
  return days;
}

/**
 * The user's generations per UTC day within `period`, one entry per day: charged (completed or still
 * reserved) and free re-runs. Released and expired generations wrote nothing and are not drawn.
 */
export async function readUsageByDay(
  db: Database,
  userId: string,
  period: BillingPeriod,
  now: Date = new Date(),
): Promise<DayUsage[]> {
  const day = sql<string>`to_char(${generations.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const counts = sql`(${generations.status} = 'completed' or (${generations.status} = 'issued'
    and (${generations.expiresAt} is null or ${generations.expiresAt} > ${now.toISOString()})))`;
  const rows = await db
    .select({
      day,
      charged: sql<number>`(count(*) filter (where ${generations.charged} and ${counts}))::int`,
      free: sql<number>`(count(*) filter (where not ${generations.charged} and ${counts}))::int`,
    })
    .from(generations)
    .where(
      and(
        eq(generations.userId, userId),
        gte(generations.createdAt, period.start),
        lt(generations.createdAt, period.end),
      ),
    )
    .groupBy(day);
  return fillDays(period, rows);
}

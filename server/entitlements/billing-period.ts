/** A billing period: `start` inclusive, `end` exclusive. */
export interface BillingPeriod {
  start: Date;
  end: Date;
}

/** The UTC calendar month containing `now` (the Free plan's period). */
export function calendarMonthPeriod(now: Date): BillingPeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

/**
 * The billing period containing `now`: the subscription's current period when it has one that contains
 * `now` (paid plans, from Stripe), otherwise the UTC calendar month.
 */
export function currentBillingPeriod(
  now: Date,
  subscription?: { periodStart: Date | null; periodEnd: Date | null },
): BillingPeriod {
  const start = subscription?.periodStart;
  const end = subscription?.periodEnd;
  if (start && end && start <= now && now < end) return { start, end };
  return calendarMonthPeriod(now);
}

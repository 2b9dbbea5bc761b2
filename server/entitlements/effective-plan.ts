import { isPlanId, type PlanId } from '../../shared/plans.ts';

/** The stored subscription fields that decide the entitlement. */
export interface StoredEntitlement {
  plan: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  /** When set, `plan` ends at this instant (grace over, period end of a canceled subscription). */
  planLapsesAt: Date | null;
}

/** The plan and quota period an account is entitled to at one instant. */
export interface Entitlement {
  plan: PlanId;
  /** Paid period (null → the UTC calendar month). */
  periodStart: Date | null;
  periodEnd: Date | null;
}

/**
 * The entitlement at `now`: the stored plan and period until `planLapsesAt`, then Free on the calendar
 * month. Pure. The webhook handler writes Free directly once a lapse is in the past; this covers the
 * time between (a grace period that runs out while Stripe is still retrying the payment).
 */
export function effectiveEntitlement(stored: StoredEntitlement | undefined, now: Date): Entitlement {
  const plan = stored?.plan;
  if (!isPlanId(plan) || plan === 'free') return { plan: 'free', periodStart: null, periodEnd: null };
  if (stored?.planLapsesAt && stored.planLapsesAt <= now) {
    return { plan: 'free', periodStart: null, periodEnd: null };
  }
  return { plan, periodStart: stored?.periodStart ?? null, periodEnd: stored?.periodEnd ?? null };
}

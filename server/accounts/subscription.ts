import { eq } from 'drizzle-orm';
import { isPlanId, type PlanId } from '../../shared/plans.ts';
import type { Database } from '../db/client.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';

/** The plan of a user and its paid period (null → calendar month). */
export interface SubscriptionState {
  plan: PlanId;
  periodStart: Date | null;
  periodEnd: Date | null;
  /**
   * When set, `plan` ends at this instant (see entitlements/effective-plan.ts); applied per request
   * against the clock, so a state read a few seconds ago still lapses on time.
   */
  planLapsesAt: Date | null;
}

/** Normalises a subscriptions row (or its absence) to a {@link SubscriptionState}; unknown plans → free. */
export function toSubscriptionState(
  row:
    | { plan: string | null; periodStart: Date | null; periodEnd: Date | null; planLapsesAt?: Date | null }
    | undefined,
): SubscriptionState {
  const plan = row?.plan;
  return {
    plan: isPlanId(plan) ? plan : 'free',
    periodStart: row?.periodStart ?? null,
    periodEnd: row?.periodEnd ?? null,
    planLapsesAt: row?.planLapsesAt ?? null,
  };
}

/** Reads a user's subscription state. */
export async function readSubscription(db: Database, userId: string): Promise<SubscriptionState> {
  const [row] = await db
    .select({
      plan: subscriptions.plan,
      periodStart: subscriptions.currentPeriodStart,
      periodEnd: subscriptions.currentPeriodEnd,
      planLapsesAt: subscriptions.planLapsesAt,
    })
    .from(subscriptions)
    .where(eq(subscriptions.userId, userId));
  return toSubscriptionState(row);
}

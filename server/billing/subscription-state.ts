import type { PlanId } from '../../shared/plans.ts';
import { type BillingConfig, planForPrice } from './billing-config.ts';
import type { SubscriptionSnapshot } from './stripe-objects.ts';

/** Statuses in which a subscription still belongs to a paying (or retrying) customer. */
export const LIVE_STATUSES: ReadonlySet<string> = new Set(['active', 'trialing', 'past_due', 'unpaid']);
const PAYMENT_FAILING = new Set(['past_due', 'unpaid']);
const DAY_MS = 86_400_000;

/** The stored row, as far as applying a Stripe subscription needs it. */
export interface StoredBillingRow {
  userId: string;
  plan: string;
  status: string;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  stripeSubscriptionCreatedAt: Date | null;
  stripeStateAt: Date | null;
  pastDueSince: Date | null;
}

/** Column values written for an applied subscription state. */
export interface BillingRowValues {
  plan: PlanId;
  status: string;
  stripeCustomerId: string;
  stripeSubscriptionId: string;
  stripePriceId: string | null;
  stripeSubscriptionCreatedAt: Date;
  stripeStateAt: Date;
  cancelAtPeriodEnd: boolean;
  pastDueSince: Date | null;
  planLapsesAt: Date | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  updatedAt: Date;
}

/** Input of {@link decideSubscriptionUpdate}. */
export interface SubscriptionUpdateInput {
  snapshot: SubscriptionSnapshot;
  stored: StoredBillingRow;
  /** Stripe-clock time the snapshot describes (event `created`, or when it was fetched). */
  stateAt: Date;
  /** Payload of an event (a tie with the stored state is ambiguous) or fetched from Stripe (current). */
  source: 'event' | 'fetched';
  /** Time of a failed payment reported by `invoice.payment_failed`. */
  failureAt?: Date | undefined;
  config: Pick<BillingConfig, 'prices' | 'graceDays'>;
  now: Date;
}

/** What to do with a subscription state. */
export type SubscriptionDecision =
  | { action: 'apply'; values: BillingRowValues; unknownPrice: boolean }
  | { action: 'refetch' }
  | { action: 'ignore'; reason: 'stale' | 'other-subscription' };

function adoptsOtherSubscription(input: SubscriptionUpdateInput): boolean {
  const { stored, snapshot } = input;
  if (!LIVE_STATUSES.has(snapshot.status)) return false;
  const storedLive = LIVE_STATUSES.has(stored.status) && stored.plan !== 'free';
  if (!storedLive) return true;
  // Two live subscriptions (two checkouts finished in parallel): the newer one is the account's.
  return (
    stored.stripeSubscriptionCreatedAt === null || snapshot.createdAt > stored.stripeSubscriptionCreatedAt
  );
}

function minDate(...dates: (Date | null)[]): Date | null {
  const present = dates.filter((date): date is Date => date !== null);
  return present.length === 0 ? null : new Date(Math.min(...present.map((date) => date.getTime())));
}

/** When the paid plan ends, or `null` when it does not; `'now'` when the status entitles to nothing. */
function lapseOf(
  snapshot: SubscriptionSnapshot,
  pastDueSince: Date | null,
  graceDays: number,
): Date | null | 'now' {
  const scheduled = minDate(snapshot.cancelAtPeriodEnd ? snapshot.periodEnd : null, snapshot.cancelAt);
  switch (snapshot.status) {
    case 'active':
    case 'trialing':
      return scheduled;
    case 'past_due':
    case 'unpaid':
      return minDate(new Date(pastDueSince!.getTime() + graceDays * DAY_MS), scheduled);
    case 'canceled':
      // Paid through the period: Free at its end.
      return snapshot.periodEnd ?? snapshot.endedAt ?? 'now';
    default:
      // incomplete (first payment pending), incomplete_expired, paused: nothing paid for.
      return 'now';
  }
}

/**
 * Decides how a Stripe subscription state changes the stored row. Pure.
 * - A state older than the stored one is stale (events arrive out of order); a tie between an event
 *   payload and the stored state is resolved by re-fetching the subscription from Stripe.
 * - A different subscription than the tracked one is adopted only when it is live and the tracked one is
 *   not (or is older), so a late `deleted` event of an old subscription never downgrades the account.
 * - Entitlement: active/trialing → the price's plan; past_due/unpaid → the plan until the grace period
 *   after the first failure ends; canceled → the plan until the period end; otherwise Free. A lapse
 *   already in the past is written as Free on the calendar month.
 */
export function decideSubscriptionUpdate(input: SubscriptionUpdateInput): SubscriptionDecision {
  const { snapshot, stored, stateAt, now } = input;
  const same = stored.stripeSubscriptionId === null || stored.stripeSubscriptionId === snapshot.id;
  if (!same && !adoptsOtherSubscription(input)) return { action: 'ignore', reason: 'other-subscription' };
  if (same && stored.stripeStateAt) {
    if (stateAt < stored.stripeStateAt) return { action: 'ignore', reason: 'stale' };
    if (stateAt.getTime() === stored.stripeStateAt.getTime() && input.source === 'event') {
      return { action: 'refetch' };
    }
  }
  const failing = PAYMENT_FAILING.has(snapshot.status);
  const pastDueSince = failing ? ((same ? stored.pastDueSince : null) ?? input.failureAt ?? stateAt) : null;
  const paidPlan = planForPrice(input.config, snapshot.priceId);
  const lapse = lapseOf(snapshot, pastDueSince, input.config.graceDays);
  const entitled = paidPlan !== null && lapse !== 'now' && (lapse === null || lapse > now);
  return {
    action: 'apply',
    unknownPrice: paidPlan === null,
    values: {
      plan: entitled ? paidPlan : 'free',
      status: snapshot.status,
      stripeCustomerId: snapshot.customerId,
      stripeSubscriptionId: snapshot.id,
      stripePriceId: snapshot.priceId,
      stripeSubscriptionCreatedAt: snapshot.createdAt,
      stripeStateAt: stateAt,
      cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
      pastDueSince,
      planLapsesAt: entitled && lapse instanceof Date ? lapse : null,
      currentPeriodStart: entitled ? snapshot.periodStart : null,
      currentPeriodEnd: entitled ? snapshot.periodEnd : null,
      updatedAt: now,
    },
  };
}

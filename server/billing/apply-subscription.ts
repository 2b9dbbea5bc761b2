import type { Logger } from '../logger.ts';
import type { BillingConfig } from './billing-config.ts';
import { type Executor, lockRowForCustomer, writeBillingRow } from './billing-store.ts';
import type { SubscriptionSnapshot } from './stripe-objects.ts';
import { decideSubscriptionUpdate } from './subscription-state.ts';

/** A subscription state to apply, and where it comes from. */
export interface StateCandidate {
  snapshot: SubscriptionSnapshot;
  /** Stripe-clock time the state describes. */
  stateAt: Date;
  source: 'event' | 'fetched';
  /** `invoice.payment_failed` time (starts the grace period). */
  failureAt?: Date | undefined;
  /** The account the checkout was for (`client_reference_id`), when known. */
  userIdHint?: string | null | undefined;
}

/** Result of {@link applyCandidate} inside a transaction. */
export type ApplyResult =
  | { outcome: 'applied'; userId: string }
  | { outcome: 'stale' | 'other-subscription'; userId: string }
  | { outcome: 'refetch' | 'unknown-customer' };

/** What {@link applyCandidate} needs. */
export interface ApplyDeps {
  config: Pick<BillingConfig, 'prices' | 'graceDays'>;
  logger: Logger;
  now: Date;
}

/**
 * Applies a subscription state to its account's row inside the caller's transaction: locks the row (so
 * a checkout completion and a subscription event for the same customer serialise on it), compares the
 * state with the stored one and writes it. The caller commits, or rolls back on `refetch` /
 * `unknown-customer`.
 */
export async function applyCandidate(
  tx: Executor,
  candidate: StateCandidate,
  deps: ApplyDeps,
): Promise<ApplyResult> {
  const { snapshot } = candidate;
  const row = await lockRowForCustomer(tx, snapshot.customerId, candidate.userIdHint ?? snapshot.userIdHint);
  if (!row) return { outcome: 'unknown-customer' };
  const decision = decideSubscriptionUpdate({
    snapshot,
    stored: row,
    stateAt: candidate.stateAt,
    source: candidate.source,
    failureAt: candidate.failureAt,
    config: deps.config,
    now: deps.now,
  });
  if (decision.action === 'refetch') return { outcome: 'refetch' };
  if (decision.action === 'ignore') return { outcome: decision.reason, userId: row.userId };
  if (decision.unknownPrice) {
    deps.logger.error('Stripe subscription has a price this server does not sell; the account stays Free', {
      subscription: snapshot.id,
      price: snapshot.priceId,
    });
  }
  await writeBillingRow(tx, row.userId, decision.values);
  return { outcome: 'applied', userId: row.userId };
}

import type Stripe from 'stripe';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { type ApplyResult, applyCandidate, type StateCandidate } from './apply-subscription.ts';
import type { BillingConfig } from './billing-config.ts';
import { isEventRecorded, recordEvent } from './billing-store.ts';
import { callStripe, stripeClockOf } from './stripe-client.ts';
import {
  invoiceSubscriptionId,
  type StripeEventEnvelope,
  toCheckoutCompletion,
  toSubscriptionSnapshot,
} from './stripe-objects.ts';

/** Event types that change entitlements. Others are acknowledged and ignored. */
export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
]);

/** What happened to a webhook event. */
export type EventOutcome =
  | 'applied'
  | 'duplicate'
  | 'stale'
  | 'other-subscription'
  | 'unknown-customer'
  | 'not-handled'
  | 'no-subscription';

/** Dependencies of {@link processStripeEvent}. */
export interface ProcessEventDeps {
  db: Database;
  stripe: Stripe;
  config: Pick<BillingConfig, 'prices' | 'graceDays'>;
  logger: Logger;
  clock: () => Date;
  /** Called after a change to an account committed (drops cached principals). */
  onAccountChanged: (userId: string) => void;
}

type Candidate = StateCandidate | { skip: 'no-subscription' };

/** Thrown inside the transaction to roll back (the event stays unrecorded). */
class Rollback extends Error {
  constructor(readonly result: ApplyResult) {
    super('rollback');
  }
}

/** Fetches the subscription's current state from Stripe (the answer for ambiguous or indirect events). */
async function fetchCandidate(
  deps: ProcessEventDeps,
  subscriptionId: string,
  extra: { eventCreated: Date; failureAt?: Date; userIdHint?: string | null },
): Promise<StateCandidate> {
  const answer = await callStripe(deps.logger, 'retrieve subscription', () =>
    deps.stripe.subscriptions.retrieve(subscriptionId),
  );
  return {
    snapshot: toSubscriptionSnapshot(answer),
    stateAt: stripeClockOf(answer) ?? extra.eventCreated,
    source: 'fetched',
    failureAt: extra.failureAt,
    userIdHint: extra.userIdHint,
  };
}

/** The state an event implies: its payload for subscription events, a fresh fetch for the others. */
async function candidateFor(deps: ProcessEventDeps, event: StripeEventEnvelope): Promise<Candidate> {
  const created = new Date(event.created * 1000);
  const object = event.data.object;
  if (event.type.startsWith('customer.subscription.')) {
    return { snapshot: toSubscriptionSnapshot(object), stateAt: created, source: 'event' };
  }
  if (event.type === 'checkout.session.completed') {
    const completion = toCheckoutCompletion(object);
    if (!completion.subscriptionId) return { skip: 'no-subscription' };
    return fetchCandidate(deps, completion.subscriptionId, {
      eventCreated: created,
      userIdHint: completion.userIdHint,
    });
  }
  const subscriptionId = invoiceSubscriptionId(object);
  if (!subscriptionId) return { skip: 'no-subscription' };
  return fetchCandidate(deps, subscriptionId, {
    eventCreated: created,
    ...(event.type === 'invoice.payment_failed' ? { failureAt: created } : {}),
  });
}

async function attempt(
  deps: ProcessEventDeps,
  event: StripeEventEnvelope,
  candidate: Candidate,
): Promise<{ outcome: EventOutcome; userId?: string }> {
  return deps.db.transaction(async (tx): Promise<{ outcome: EventOutcome; userId?: string }> => {
    // Recorded in the same transaction as the effect: a failure rolls both back and Stripe retries.
    if (!(await recordEvent(tx, event, deps.clock()))) return { outcome: 'duplicate' };
    if ('skip' in candidate) return { outcome: candidate.skip };
    const result = await applyCandidate(tx, candidate, {
      config: deps.config,
      logger: deps.logger,
      now: deps.clock(),
    });
    if (!('userId' in result)) throw new Rollback(result); // refetch, unknown-customer
    return { outcome: result.outcome, userId: result.userId };
  });
}

/**
 * Applies one verified Stripe event at most once: the event id is inserted into `webhook_events` in the
 * same transaction as the row update (primary key → a redelivery, even a concurrent one, is a no-op).
 * Events for customers of no account here are acknowledged without being recorded. Throws when Stripe
 * or the database fails, so the route answers non-2xx and Stripe retries.
 */
export async function processStripeEvent(
  deps: ProcessEventDeps,
  event: StripeEventEnvelope,
): Promise<{ outcome: EventOutcome }> {
  if (!HANDLED_EVENT_TYPES.has(event.type)) return { outcome: 'not-handled' };
  if (await isEventRecorded(deps.db, event.id)) return { outcome: 'duplicate' };
  let candidate = await candidateFor(deps, event);
  for (let round = 1; ; round++) {
    try {
      const result = await attempt(deps, event, candidate);
      if (result.outcome === 'applied' && result.userId) deps.onAccountChanged(result.userId);
      return { outcome: result.outcome };
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      if (error.result.outcome === 'unknown-customer') {
        deps.logger.warn('Stripe event for a customer of no account; ignored', {
          event: event.id,
          type: event.type,
        });
        return { outcome: 'unknown-customer' };
      }
      // Same Stripe second as the stored state: only Stripe knows which is newer.
      if (round >= 3 || 'skip' in candidate) throw new Error(`could not order Stripe event ${event.id}`);
      candidate = await fetchCandidate(deps, candidate.snapshot.id, {
        eventCreated: candidate.stateAt,
        userIdHint: candidate.userIdHint ?? null,
      });
    }
  }
}

import type Stripe from 'stripe';
import type { BillingRedirect, PaidPlanId } from '../../shared/contracts.ts';
import { PLAN_IDS, PLANS } from '../../shared/plans.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../http/api-error.ts';
import type { Logger } from '../logger.ts';
import { applyCandidate } from './apply-subscription.ts';
import { type BillingConfig, planForPrice } from './billing-config.ts';
import { type BillingAccount, ensureCustomer } from './customer.ts';
import { callStripe, stripeClockOf } from './stripe-client.ts';
import { type SubscriptionSnapshot, toSubscriptionSnapshot } from './stripe-objects.ts';
import { LIVE_STATUSES } from './subscription-state.ts';

/** Dependencies of {@link startCheckout}. */
export interface CheckoutDeps {
  db: Database;
  stripe: Stripe;
  config: Pick<BillingConfig, 'prices' | 'graceDays'>;
  logger: Logger;
  clock: () => Date;
  /** Public URL of the server (Checkout returns to its dashboard). */
  baseUrl: string;
  onAccountChanged: (userId: string) => void;
}

/** The customer's newest live subscription at Stripe (the authority, even before its webhook arrived). */
async function findLiveSubscription(deps: CheckoutDeps, customerId: string) {
  const list = await callStripe(deps.logger, 'list subscriptions', () =>
    deps.stripe.subscriptions.list({ customer: customerId, limit: 20 }),
  );
  return list.data
    .map(toSubscriptionSnapshot)
    .filter((snapshot) => LIVE_STATUSES.has(snapshot.status))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
}

/** Writes the answer of a subscription update at once, so the next request already sees the new plan. */
async function applyUpdated(deps: CheckoutDeps, account: BillingAccount, updated: Stripe.Subscription) {
  const stateAt = stripeClockOf(updated);
  // Without Stripe's clock the state cannot be ordered against events; the webhook will bring it.
  if (!stateAt) return;
  const snapshot = toSubscriptionSnapshot(updated);
  const result = await deps.db.transaction((tx) =>
    applyCandidate(
      tx,
      { snapshot, stateAt, source: 'fetched', userIdHint: account.userId },
      { config: deps.config, logger: deps.logger, now: deps.clock() },
    ),
  );
  if (result.outcome === 'applied') deps.onAccountChanged(result.userId);
}

/**
 * Switches an existing subscription to `plan` in place (one subscription per account): upgrades are
 * invoiced at once and only take effect when paid (`pending_if_incomplete`); downgrades credit the
 * unused time on the next invoice. A subscription set to cancel at the period end is resumed.
 */
async function switchPlan(
  deps: CheckoutDeps,
  account: BillingAccount,
  current: SubscriptionSnapshot,
  plan: PaidPlanId,
): Promise<BillingRedirect> {
  const currentPlan = planForPrice(deps.config, current.priceId);
  if (currentPlan === plan && !current.cancelAtPeriodEnd) {
    throw new ApiError(
      'CONFLICT',
      `This account is already on the ${PLANS[plan].name} plan. Manage it with \`specmint billing\` or ` +
        '"Manage billing" on the dashboard.',
    );
  }
  let updated: Stripe.Subscription | undefined;
  if (current.cancelAtPeriodEnd) {
    updated = await callStripe(deps.logger, 'resume subscription', () =>
      deps.stripe.subscriptions.update(current.id, { cancel_at_period_end: false }),
    );
  }
  if (currentPlan !== plan) {
    if (!current.itemId) throw new Error(`Stripe subscription ${current.id} has no item`);
    const upgrade = PLAN_IDS.indexOf(plan) > PLAN_IDS.indexOf(currentPlan ?? 'free');
    const itemId = current.itemId;
    updated = await callStripe(deps.logger, 'switch subscription price', () =>
      deps.stripe.subscriptions.update(current.id, {
        items: [{ id: itemId, price: deps.config.prices[plan] }],
        proration_behavior: upgrade ? 'always_invoice' : 'create_prorations',
        ...(upgrade ? { payment_behavior: 'pending_if_incomplete' as const } : {}),
      }),
    );
  }
  if (updated) await applyUpdated(deps, account, updated);
  return { url: `${deps.baseUrl}/dashboard?billing=updated` };
}

/**
 * `POST /v1/billing/checkout`: a Stripe Checkout page for `plan` on the account's (single, reused)
 * customer, or — when the account already has a live subscription — the subscription switched in place
 * and the dashboard's URL.
 */
export async function startCheckout(
  deps: CheckoutDeps,
  account: BillingAccount,
  plan: PaidPlanId,
): Promise<BillingRedirect> {
  const customerId = await ensureCustomer(deps, account);
  const live = await findLiveSubscription(deps, customerId);
  if (live) return switchPlan(deps, account, live, plan);
  const session = await callStripe(deps.logger, 'create checkout session', () =>
    deps.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customerId,
      client_reference_id: account.userId,
      line_items: [{ price: deps.config.prices[plan], quantity: 1 }],
      success_url: `${deps.baseUrl}/dashboard?checkout=success`,
      cancel_url: `${deps.baseUrl}/dashboard?checkout=canceled`,
      subscription_data: { metadata: { userId: account.userId } },
      metadata: { userId: account.userId, plan },
    }),
  );
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  return { url: session.url };
}

/** `POST /v1/billing/portal`: a Billing Portal session for the account's customer (created if needed). */
export async function openPortal(deps: CheckoutDeps, account: BillingAccount): Promise<BillingRedirect> {
  const customerId = await ensureCustomer(deps, account);
  const session = await callStripe(deps.logger, 'create portal session', () =>
    deps.stripe.billingPortal.sessions.create({
      customer: customerId,
      return_url: `${deps.baseUrl}/dashboard`,
    }),
  );
  return { url: session.url };
}

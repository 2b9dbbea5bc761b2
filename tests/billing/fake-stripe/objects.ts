/**
 * Stripe API objects in their wire shape (API version 2025-03-31 and later: the current period lives on
 * subscription items, an invoice names its subscription under `parent.subscription_details`). Only the
 * fields a Stripe integration commonly reads are filled; the rest of a real object is omitted.
 * @see https://docs.stripe.com/api/subscriptions/object
 */
import { randomBytes } from 'node:crypto';

/** A JSON object as the fake stores and serves it. */
export type StripeObject = Record<string, unknown> & { id: string; object: string };

/** A Stripe-style id such as `sub_1Qx…`. */
export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** Length of the fake's billing periods (30 days). */
export const PERIOD_SECONDS = 30 * 86_400;

/** A price of a monthly recurring product. */
export function priceObject(id: string, unitAmount: number, now: number): StripeObject {
  return {
    id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: now,
    currency: 'usd',
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: `prod_${id}`,
    recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
    type: 'recurring',
    unit_amount: unitAmount,
  };
}

/** A customer. */
export function customerObject(input: {
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  now: number;
}): StripeObject {
  return {
    id: stripeId('cus'),
    object: 'customer',
    created: input.now,
    email: input.email,
    name: input.name,
    metadata: input.metadata,
    livemode: false,
    currency: null,
    delinquent: false,
    invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
  };
}

/** A Checkout Session in `subscription` mode, still open. */
export function checkoutSessionObject(input: {
  customer: string;
  price: string;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  subscriptionMetadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string | null;
  now: number;
}): StripeObject {
  const id = stripeId('cs_test');
  return {
    id,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'open',
    payment_status: 'unpaid',
    customer: input.customer,
    client_reference_id: input.clientReferenceId,
    metadata: input.metadata,
    subscription: null,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    url: `https://checkout.stripe.com/c/pay/${id}`,
    created: input.now,
    expires_at: input.now + 86_400,
    currency: 'usd',
    livemode: false,
    // Not part of Stripe's object: what the fake needs to complete the session later.
    __price: input.price,
    __subscriptionMetadata: input.subscriptionMetadata,
  };
}

/** An active subscription with one item. */
export function subscriptionObject(input: {
  customer: string;
  price: StripeObject;
  metadata: Record<string, string>;
  status: string;
  now: number;
}): StripeObject {
  const id = stripeId('sub');
  return {
    id,
    object: 'subscription',
    customer: input.customer,
    status: input.status,
    created: input.now,
    start_date: input.now,
    billing_cycle_anchor: input.now,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    collection_method: 'charge_automatically',
    currency: 'usd',
    latest_invoice: null,
    livemode: false,
    metadata: input.metadata,
    pending_update: null,
    trial_end: null,
    trial_start: null,
    items: {
      object: 'list',
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${id}`,
      data: [
        {
          id: stripeId('si'),
          object: 'subscription_item',
          created: input.now,
          current_period_start: input.now,
          current_period_end: input.now + PERIOD_SECONDS,
          metadata: {},
          price: input.price,
          quantity: 1,
          subscription: id,
        },
      ],
    },
  };
}

/** An invoice of a subscription. */
export function invoiceObject(input: {
  subscription: StripeObject;
  status: 'paid' | 'open';
  amount: number;
  attemptCount: number;
  billingReason: string;
  now: number;
}): StripeObject {
  const item = (input.subscription.items as { data: Record<string, unknown>[] }).data[0]!;
  return {
    id: stripeId('in'),
    object: 'invoice',
    customer: input.subscription.customer,
    status: input.status,
    amount_due: input.amount,
    amount_paid: input.status === 'paid' ? input.amount : 0,
    amount_remaining: input.status === 'paid' ? 0 : input.amount,
    attempt_count: input.attemptCount,
    attempted: true,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created: input.now,
    currency: 'usd',
    livemode: false,
    period_start: item.current_period_start,
    period_end: item.current_period_end,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: input.subscription.metadata, subscription: input.subscription.id },
    },
  };
}

/** An event wrapping a snapshot of `object`. */
export function eventObject(input: {
  type: string;
  object: StripeObject;
  previousAttributes?: Record<string, unknown>;
  apiVersion: string;
  now: number;
}): StripeObject {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: input.apiVersion,
    created: input.now,
    data: {
      object: structuredClone(publicView(input.object)),
      ...(input.previousAttributes ? { previous_attributes: input.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: input.type,
  };
}

/** The object without the fake's private `__` fields. */
export function publicView(object: StripeObject): StripeObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !key.startsWith('__'))) as StripeObject;
}

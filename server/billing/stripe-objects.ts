/**
 * The few fields of Stripe objects the server reads, validated with zod instead of trusted from the SDK's
 * types: webhook payloads are external input, and the field layout moves between API versions (the
 * current period lives on subscription items since 2025-03-31, an invoice's subscription under
 * `parent.subscription_details` since then).
 * @see https://docs.stripe.com/api/subscriptions/object
 */
import * as z from 'zod';

const id = z.string().min(1).max(255);
/** An expandable reference: the id, or the object carrying it. */
const ref = z
  .union([id, z.object({ id })])
  .transform((value) => (typeof value === 'string' ? value : value.id));
const unixSeconds = z.number().int().nonnegative();
const toDate = (seconds: number | null | undefined): Date | null =>
  seconds === null || seconds === undefined ? null : new Date(seconds * 1000);

const SubscriptionItemSchema = z.object({
  id,
  price: z.object({ id }),
  current_period_start: unixSeconds.optional(),
  current_period_end: unixSeconds.optional(),
});

const SubscriptionSchema = z.object({
  id,
  object: z.literal('subscription'),
  customer: ref,
  status: z.string(),
  created: unixSeconds,
  cancel_at_period_end: z.boolean().default(false),
  cancel_at: unixSeconds.nullable().optional(),
  ended_at: unixSeconds.nullable().optional(),
  /** Before API version 2025-03-31 the period was on the subscription itself. */
  current_period_start: unixSeconds.optional(),
  current_period_end: unixSeconds.optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  items: z.object({ data: z.array(SubscriptionItemSchema) }),
});

/** What the server keeps of a Stripe subscription. */
export interface SubscriptionSnapshot {
  id: string;
  customerId: string;
  /** Stripe's status: active, trialing, past_due, unpaid, canceled, incomplete, incomplete_expired, paused. */
  status: string;
  /** Item whose price decides the plan (the subscription has one item). */
  itemId: string | null;
  priceId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  /** `metadata.userId` set at checkout; links the customer if the stored link is missing. */
  userIdHint: string | null;
}

/** Parses a Stripe subscription (API answer or event payload). Throws a ZodError on an unexpected shape. */
export function toSubscriptionSnapshot(value: unknown): SubscriptionSnapshot {
  const subscription = SubscriptionSchema.parse(value);
  const item = subscription.items.data[0];
  return {
    id: subscription.id,
    customerId: subscription.customer,
    status: subscription.status,
    itemId: item?.id ?? null,
    priceId: item?.price.id ?? null,
    periodStart: toDate(item?.current_period_start ?? subscription.current_period_start),
    periodEnd: toDate(item?.current_period_end ?? subscription.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: toDate(subscription.cancel_at),
    endedAt: toDate(subscription.ended_at),
    createdAt: new Date(subscription.created * 1000),
    userIdHint: subscription.metadata?.userId ?? null,
  };
}

/** A verified webhook event, as far as the server reads it. */
export const StripeEventSchema = z.object({
  id,
  type: z.string(),
  created: unixSeconds,
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEventEnvelope = z.infer<typeof StripeEventSchema>;

const CheckoutSessionSchema = z.object({
  id,
  object: z.literal('checkout.session'),
  mode: z.string(),
  customer: ref.nullable(),
  subscription: ref.nullable().optional(),
  client_reference_id: z.string().nullable().optional(),
});

/** The parts of a completed Checkout Session that link an account to its subscription. */
export interface CheckoutCompletion {
  customerId: string | null;
  subscriptionId: string | null;
  userIdHint: string | null;
}

/** Reads a `checkout.session.completed` payload; `subscriptionId` is null for non-subscription sessions. */
export function toCheckoutCompletion(value: unknown): CheckoutCompletion {
  const session = CheckoutSessionSchema.parse(value);
  return {
    customerId: session.customer,
    subscriptionId: session.mode === 'subscription' ? (session.subscription ?? null) : null,
    userIdHint: session.client_reference_id ?? null,
  };
}

const InvoiceSchema = z.object({
  id,
  object: z.literal('invoice'),
  customer: ref.nullable(),
  /** API versions before 2025-03-31. */
  subscription: ref.nullable().optional(),
  parent: z
    .object({
      subscription_details: z.object({ subscription: ref }).nullable().optional(),
    })
    .nullable()
    .optional(),
});

/** The subscription an invoice bills, or null for a one-off invoice. */
export function invoiceSubscriptionId(value: unknown): string | null {
  const invoice = InvoiceSchema.parse(value);
  return invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null;
}

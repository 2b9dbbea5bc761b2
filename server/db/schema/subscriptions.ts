import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * The plan of each user (one row per user, created with the user). Stripe fields and the paid billing
 * period are filled from verified webhook events; without a period the billing period is the UTC
 * calendar month. `status` is Stripe's subscription status for Stripe-billed rows. The entitled plan is
 * `plan` until `plan_lapses_at` (see server/entitlements/effective-plan.ts).
 */
export const subscriptions = pgTable('subscriptions', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  plan: text('plan').notNull().default('free'),
  status: text('status').notNull().default('active'),
  stripeCustomerId: text('stripe_customer_id').unique(),
  stripeSubscriptionId: text('stripe_subscription_id').unique(),
  currentPeriodStart: timestamp('current_period_start', { withTimezone: true }),
  currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
  /** Price of the tracked Stripe subscription (it decides the plan). */
  stripePriceId: text('stripe_price_id'),
  /** When Stripe created the tracked subscription: with two live subscriptions the newer one wins. */
  stripeSubscriptionCreatedAt: timestamp('stripe_subscription_created_at', { withTimezone: true }),
  /** Stripe-clock time of the stored Stripe state; events created before it are stale and ignored. */
  stripeStateAt: timestamp('stripe_state_at', { withTimezone: true }),
  /** The subscription ends at the period end (canceled in the Billing Portal). */
  cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
  /** First payment failure of the current past_due spell; the grace period runs from here. */
  pastDueSince: timestamp('past_due_since', { withTimezone: true }),
  /** When set, the paid `plan` ends at this instant (grace over, period end of a canceled subscription). */
  planLapsesAt: timestamp('plan_lapses_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

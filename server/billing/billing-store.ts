import { and, eq, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';
import { users } from '../db/schema/users.ts';
import { webhookEvents } from '../db/schema/webhook-events.ts';
import type { BillingRowValues, StoredBillingRow } from './subscription-state.ts';

/** The database or a transaction on it. */
export type Executor = Pick<Database, 'select' | 'insert' | 'update'>;

const STORED_COLUMNS = {
  userId: subscriptions.userId,
  plan: subscriptions.plan,
  status: subscriptions.status,
  stripeCustomerId: subscriptions.stripeCustomerId,
  stripeSubscriptionId: subscriptions.stripeSubscriptionId,
  stripeSubscriptionCreatedAt: subscriptions.stripeSubscriptionCreatedAt,
  stripeStateAt: subscriptions.stripeStateAt,
  pastDueSince: subscriptions.pastDueSince,
};

/** Creates the user's subscriptions row when missing (users made before it existed; idempotent). */
export async function ensureRow(db: Executor, userId: string): Promise<void> {
  await db.insert(subscriptions).values({ userId }).onConflictDoNothing();
}

/**
 * Locks the row an event for `customerId` belongs to: the account holding that Stripe customer, else the
 * account named by the checkout's `client_reference_id` / the subscription's `metadata.userId` when it has
 * no customer yet (it is linked by the update). Undefined for customers of no account here.
 */
export async function lockRowForCustomer(
  tx: Executor,
  customerId: string,
  userIdHint: string | null,
): Promise<StoredBillingRow | undefined> {
  const [linked] = await tx
    .select(STORED_COLUMNS)
    .from(subscriptions)
    .where(eq(subscriptions.stripeCustomerId, customerId))
    .for('update');
  if (linked || !userIdHint) return linked;
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userIdHint));
  if (!user) return undefined;
  await ensureRow(tx, user.id);
  const [row] = await tx
    .select(STORED_COLUMNS)
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userId, user.id),
        or(isNull(subscriptions.stripeCustomerId), eq(subscriptions.stripeCustomerId, customerId)),
      ),
    )
    .for('update');
  return row;
}

/** Writes an applied subscription state. */
export async function writeBillingRow(tx: Executor, userId: string, values: BillingRowValues): Promise<void> {
  await tx.update(subscriptions).set(values).where(eq(subscriptions.userId, userId));
}

/**
 * Records a webhook event id; false when it was already recorded (by an earlier delivery, or a concurrent
 * one that committed first — the primary key makes the second insert wait for the first transaction).
 */
export async function recordEvent(
  tx: Executor,
  event: { id: string; type: string },
  processedAt: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(webhookEvents)
    .values({ id: event.id, type: event.type, processedAt })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  return inserted.length > 0;
}

/** True when the event was already processed (a cheap pre-check before calling Stripe). */
export async function isEventRecorded(db: Executor, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(eq(webhookEvents.id, eventId));
  return row !== undefined;
}

/** The Stripe customer stored for a user, if any. */
export async function readCustomerId(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ customerId: subscriptions.stripeCustomerId })
    .from(subscriptions)
    .where(eq(subscriptions.userId, userId));
  return row?.customerId ?? null;
}

/** Stores `customerId` for the user unless one is stored already; returns the stored one. */
export async function storeCustomerId(db: Executor, userId: string, customerId: string): Promise<string> {
  await ensureRow(db, userId);
  const [updated] = await db
    .update(subscriptions)
    .set({ stripeCustomerId: customerId, updatedAt: new Date() })
    .where(and(eq(subscriptions.userId, userId), isNull(subscriptions.stripeCustomerId)))
    .returning({ customerId: subscriptions.stripeCustomerId });
  if (updated?.customerId) return updated.customerId;
  const stored = await readCustomerId(db, userId);
  if (!stored) throw new Error(`subscriptions row of ${userId} vanished while storing its Stripe customer`);
  return stored;
}

import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, or, sql } from 'drizzle-orm';
import { retireIdentities } from '../../accounts/usage-carry-over.ts';
import type { Database } from '../../db/client.ts';
import { generations } from '../../db/schema/generations.ts';
import { subscriptions } from '../../db/schema/subscriptions.ts';
import { usageCounters } from '../../db/schema/usage-counters.ts';
import { users } from '../../db/schema/users.ts';
import { verifications } from '../../db/schema/verifications.ts';

/** Why an account cannot be deleted yet. */
export class AccountDeletionBlocked extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountDeletionBlocked';
  }
}

/** Result of {@link deleteAccount}. */
export interface DeletedAccount {
  /** Id of the anonymous placeholder that now owns the usage ledger. */
  ledgerOwnerId: string;
  anonymisedGenerations: number;
}

/**
 * Deletes a user's personal data and keeps the usage ledger anonymously, in one transaction:
 * open reservations are released (their CLI can no longer complete them), the generation rows and usage
 * counters move to a fresh placeholder user (random id, no email, no sign-in method), with spec titles,
 * custom AI endpoints and the signed usage tokens (which name the user) removed; the one-way keys of the
 * account's mailbox and OAuth identities are kept with the placeholder so that an account created again
 * with them carries the usage over (server/accounts/usage-carry-over.ts); then the user row is deleted,
 * which cascades to sign-in methods, sessions, CI tokens, device codes and the subscription. Refused while
 * a paid Stripe subscription is active (it would keep billing).
 */
export async function deleteAccount(
  db: Database,
  user: { id: string; email: string },
): Promise<DeletedAccount> {
  return db.transaction(async (tx) => {
    const [subscription] = await tx
      .select({
        plan: subscriptions.plan,
        status: subscriptions.status,
        stripe: subscriptions.stripeSubscriptionId,
      })
      .from(subscriptions)
      .where(eq(subscriptions.userId, user.id))
      .for('update');
    if (subscription?.stripe && subscription.plan !== 'free' && subscription.status !== 'canceled') {
      throw new AccountDeletionBlocked(
        'Your paid subscription is still active. Cancel it with “Manage billing” on the dashboard first.',
      );
    }
    // Counters first, then ledger rows: the lock order of the generation batches.
    await tx.select().from(usageCounters).where(eq(usageCounters.userId, user.id)).for('update');
    const released = await tx
      .update(generations)
      .set({ status: 'released', charged: false })
      .where(
        and(
          eq(generations.userId, user.id),
          eq(generations.status, 'issued'),
          eq(generations.charged, true),
          isNotNull(generations.expiresAt),
        ),
      )
      .returning({ periodStart: generations.periodStart });
    for (const { periodStart } of released) {
      await tx
        .update(usageCounters)
        .set({ used: sql`${usageCounters.used} - 1` })
        .where(and(eq(usageCounters.userId, user.id), eq(usageCounters.periodStart, periodStart)));
    }
    const ledgerOwnerId = `deleted-${randomUUID()}`;
    await tx.insert(users).values({
      id: ledgerOwnerId,
      name: 'Deleted account',
      email: `${ledgerOwnerId}@deleted.invalid`,
      emailVerified: false,
    });
    const moved = await tx
      .update(generations)
      .set({
        userId: ledgerOwnerId,
        specTitle: '(deleted)',
        ai: sql`case when ${generations.ai} is null or jsonb_typeof(${generations.ai}) = 'null' then ${generations.ai} else ${generations.ai} - 'baseUrl' end`,
        response: sql`jsonb_set(${generations.response}, '{usageToken}', '""'::jsonb)`,
      })
      .where(eq(generations.userId, user.id))
      .returning({ id: generations.id });
    await tx.update(usageCounters).set({ userId: ledgerOwnerId }).where(eq(usageCounters.userId, user.id));
    await retireIdentities(tx, user, ledgerOwnerId);
    await tx
      .delete(verifications)
      .where(
        or(eq(verifications.identifier, user.email), sql`${verifications.value} like ${`%${user.id}%`}`),
      );
    await tx.delete(users).where(eq(users.id, user.id));
    return { ledgerOwnerId, anonymisedGenerations: moved.length };
  });
}

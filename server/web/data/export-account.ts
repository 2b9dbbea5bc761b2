import { asc, desc, eq } from 'drizzle-orm';
import type { GenerationRecord, TokenSummary } from '../../../shared/contracts.ts';
import type { Database } from '../../db/client.ts';
import { accounts } from '../../db/schema/accounts.ts';
import { generations } from '../../db/schema/generations.ts';
import { sessions } from '../../db/schema/sessions.ts';
import { subscriptions } from '../../db/schema/subscriptions.ts';
import { usageCounters } from '../../db/schema/usage-counters.ts';
import { users } from '../../db/schema/users.ts';
import { toGenerationRecord } from '../../entitlements/generation-record.ts';
import { listCiTokens } from '../../tokens/token-service.ts';

/** Everything stored about one user, as the "export my data" download (no secrets or hashes). */
export interface AccountExport {
  exportedAt: string;
  user: {
    id: string;
    email: string;
    name: string;
    emailVerified: boolean;
    image: string | null;
    createdAt: string;
  };
  signInMethods: { provider: string; createdAt: string }[];
  sessions: { createdAt: string; expiresAt: string; ipAddress: string | null; userAgent: string | null }[];
  subscription: {
    plan: string;
    status: string;
    currentPeriodStart: string | null;
    currentPeriodEnd: string | null;
    stripeCustomerId: string | null;
  } | null;
  usage: { periodStart: string; used: number }[];
  ciTokens: TokenSummary[];
  generations: GenerationRecord[];
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Collects the user's data; null when the user does not exist. */
export async function exportAccount(db: Database, userId: string, now: Date): Promise<AccountExport | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) return null;
  const methods = await db
    .select()
    .from(accounts)
    .where(eq(accounts.userId, userId))
    .orderBy(asc(accounts.createdAt));
  const sessionRows = await db
    .select()
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(asc(sessions.createdAt));
  const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
  const usage = await db
    .select()
    .from(usageCounters)
    .where(eq(usageCounters.userId, userId))
    .orderBy(asc(usageCounters.periodStart));
  const generationRows = await db
    .select()
    .from(generations)
    .where(eq(generations.userId, userId))
    .orderBy(desc(generations.createdAt), desc(generations.id));
  return {
    exportedAt: now.toISOString(),
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: user.emailVerified,
      image: user.image,
      createdAt: user.createdAt.toISOString(),
    },
    signInMethods: methods.map((row) => ({
      provider: row.providerId,
      createdAt: row.createdAt.toISOString(),
    })),
    sessions: sessionRows.map((row) => ({
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      ipAddress: row.ipAddress,
      userAgent: row.userAgent,
    })),
    subscription: subscription
      ? {
          plan: subscription.plan,
          status: subscription.status,
          currentPeriodStart: iso(subscription.currentPeriodStart),
          currentPeriodEnd: iso(subscription.currentPeriodEnd),
          stripeCustomerId: subscription.stripeCustomerId,
        }
      : null,
    usage: usage.map((row) => ({ periodStart: row.periodStart.toISOString(), used: row.used })),
    ciTokens: await listCiTokens(db, userId),
    generations: generationRows.map((row) => toGenerationRecord(row, now)),
  };
}

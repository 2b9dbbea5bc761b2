import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { deviceCodeOutcomes } from '../../db/schema/device-code-outcomes.ts';

/** How long an approved or denied code is remembered (longer than a code lives). */
const REMEMBER_MS = 24 * 60 * 60 * 1000;

/** Remembers that `userCode` was approved or denied on the page (and forgets outcomes older than a day). */
export async function recordDeviceOutcome(
  db: Database,
  outcome: { userCode: string; userId: string; outcome: 'approved' | 'denied'; now: Date },
): Promise<void> {
  await db
    .delete(deviceCodeOutcomes)
    .where(lt(deviceCodeOutcomes.decidedAt, new Date(outcome.now.getTime() - REMEMBER_MS)));
  await db
    .insert(deviceCodeOutcomes)
    .values({
      userCode: outcome.userCode,
      userId: outcome.userId,
      outcome: outcome.outcome,
      decidedAt: outcome.now,
    })
    .onConflictDoUpdate({
      target: deviceCodeOutcomes.userCode,
      set: { userId: outcome.userId, outcome: outcome.outcome, decidedAt: outcome.now },
    });
}

/** Whether `userCode` was approved or denied on the page within the last day. */
export async function findDeviceOutcome(db: Database, userCode: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ outcome: deviceCodeOutcomes.outcome })
    .from(deviceCodeOutcomes)
    .where(
      and(
        eq(deviceCodeOutcomes.userCode, userCode),
        gt(deviceCodeOutcomes.decidedAt, new Date(now.getTime() - REMEMBER_MS)),
      ),
    );
  return row !== undefined;
}

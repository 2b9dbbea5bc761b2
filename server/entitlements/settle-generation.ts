import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { GenerationComplete, GenerationRecord } from '../../shared/contracts.ts';
import type { DatabaseHandle, Transaction } from '../db/client.ts';
import { generations } from '../db/schema/generations.ts';
import { ApiError } from '../http/api-error.ts';
import { toGenerationRecord } from './generation-record.ts';

/**
 * Settling a generation: `POST /v1/generations/{id}/complete` confirms the charge it reserved,
 * `…/release` gives it back. Whatever changes a usage counter takes the counter row's lock first and the
 * generation row's second — the order of the group-commit batches (generation-batch.ts) — so the two
 * never deadlock and the counter always equals the rows holding a charge.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which generation, for whom, when. */
export interface SettleTarget {
  userId: string;
  id: string;
  now: Date;
}

/**
 * Completes a live free re-run (`charged` false) whose spec has no completed charge yet: the run holding
 * the spec's charge is still only a reservation (it may never complete: killed, crashed), or gave it back.
 * The completing run takes the charge — from the open reservation (the counter does not move), or as a new
 * charge while the quota allows — so starting a run, killing it and re-running the same spec cannot get a
 * spec generated for free.
 */
async function completeFreeRun(
  database: Database,
  row: typeof generations.$inferSelect,
  report: GenerationComplete,
  options: { now: Date; limit: number | null },
): Promise<void> {
  await database.transaction(async (tx) => {
    const [counter] = await tx.query<{ used: number }>(
      'select used from usage_counters where user_id = $1 and period_start = $2 for update',
      [row.userId, row.periodStart.toISOString()],
    );
    const [locked] = await tx.query<LockedRow & { live: boolean }>(
      `select status, charged, (expires_at is null or expires_at > $2::timestamptz) as live
       from generations where id = $1 for update`,
      [row.id, options.now.toISOString()],
    );
    if (locked?.status !== 'issued' || locked.charged || !locked.live) return;
    const [holder] = await tx.query<{ id: string; status: string }>(
      `select id, status from generations where user_id = $1 and period_start = $2 and spec_hash = $3
         and charged for update`,
      [row.userId, row.periodStart.toISOString(), row.specHash],
    );
    let takesCharge = false;
    if (holder && holder.status !== 'completed') {
      await tx.query('update generations set charged = false where id = $1', [holder.id]);
      takesCharge = true;
    } else if (!holder && (options.limit === null || Number(counter?.used ?? 0) < options.limit)) {
      await tx.query('update usage_counters set used = used + 1 where user_id = $1 and period_start = $2', [
        row.userId,
        row.periodStart.toISOString(),
      ]);
      takesCharge = true;
    }
    await tx.query(
      `update generations set status = 'completed', charged = $2, files = $3, tests = $4, duration_ms = $5,
         completed_at = $6 where id = $1`,
      [row.id, takesCharge, report.files, report.tests, report.durationMs, options.now.toISOString()],
    );
  });
}

function notFound(): ApiError {
  return new ApiError('NOT_FOUND', 'No such generation for this account.');
}

type Database = Pick<DatabaseHandle, 'db' | 'transaction'>;

async function readOwned(database: Database, target: SettleTarget) {
  if (!UUID.test(target.id)) throw notFound();
  const [row] = await database.db
    .select()
    .from(generations)
    .where(and(eq(generations.id, target.id), eq(generations.userId, target.userId)));
  if (!row) throw notFound();
  return row;
}

interface LockedRow {
  status: string;
  charged: boolean;
}

/**
 * Runs `change` on the generation row under its usage counter's lock; when the row gave its charge back
 * (`change` answers true), the counter drops by one. Returns what `change` saw.
 */
async function withCounterLock(
  database: Database,
  row: { id: string; userId: string; periodStart: Date },
  change: (tx: Transaction, locked: LockedRow) => Promise<boolean>,
): Promise<LockedRow> {
  return database.transaction(async (tx) => {
    await tx.query('select used from usage_counters where user_id = $1 and period_start = $2 for update', [
      row.userId,
      row.periodStart.toISOString(),
    ]);
    const [locked] = await tx.query<LockedRow>(
      'select status, charged from generations where id = $1 for update',
      [row.id],
    );
    if (!locked) throw notFound();
    if (await change(tx, locked)) {
      await tx.query('update usage_counters set used = used - 1 where user_id = $1 and period_start = $2', [
        row.userId,
        row.periodStart.toISOString(),
      ]);
    }
    return locked;
  });
}

function sameReport(row: typeof generations.$inferSelect, report: GenerationComplete): boolean {
  return row.files === report.files && row.tests === report.tests && row.durationMs === report.durationMs;
}

/**
 * Records files, tests and duration. Within the reservation this confirms the charge (one statement, no
 * counter change when the run holds its spec's charge or the spec is already charged); a free re-run
 * whose spec's charge is still open takes it ({@link completeFreeRun}). After the reservation, the
 * generation has expired and stays uncharged: the figures are kept for the history. Repeating the same
 * report is harmless; another report is 409, and so is completing a released generation. `limit` is the
 * caller's plan's quota (null: unlimited).
 */
export async function completeGeneration(
  database: Database,
  target: SettleTarget & { limit: number | null },
  report: GenerationComplete,
): Promise<GenerationRecord> {
  if (!UUID.test(target.id)) throw notFound();
  const [confirmed] = await database.db
    .update(generations)
    .set({ ...report, status: 'completed', completedAt: target.now })
    .where(
      and(
        eq(generations.id, target.id),
        eq(generations.userId, target.userId),
        eq(generations.status, 'issued'),
        or(isNull(generations.expiresAt), gt(generations.expiresAt, target.now)),
        or(
          eq(generations.charged, true),
          isNull(generations.expiresAt),
          sql`exists (select 1 from generations h where h.user_id = ${generations.userId}
            and h.period_start = ${generations.periodStart} and h.spec_hash = ${generations.specHash}
            and h.charged and h.status = 'completed')`,
        ),
      ),
    )
    .returning();
  if (confirmed) return toGenerationRecord(confirmed, target.now);
  const row = await readOwned(database, target);
  if (row.status === 'issued' && !row.charged && (row.expiresAt === null || row.expiresAt > target.now)) {
    await completeFreeRun(database, row, report, target);
    const settled = await readOwned(database, target);
    if (settled.status === 'completed') return toGenerationRecord(settled, target.now);
  }
  if (row.completedAt !== null) {
    if (!sameReport(row, report))
      throw new ApiError('CONFLICT', 'This generation was already completed with different figures.');
    return toGenerationRecord(row, target.now);
  }
  if (row.status === 'released') {
    throw new ApiError(
      'CONFLICT',
      'This generation was released (not charged), so it cannot be completed. Run the generation again.',
    );
  }
  // Expired (swept or not): keep the figures, give back a charge the row still holds.
  await withCounterLock(database, row, async (tx, locked) => {
    if (locked.status !== 'issued' && locked.status !== 'expired') return false;
    await tx.query(
      `update generations set status = 'expired', charged = false, files = $2, tests = $3, duration_ms = $4,
         completed_at = $5 where id = $1`,
      [row.id, report.files, report.tests, report.durationMs, target.now.toISOString()],
    );
    return locked.status === 'issued' && locked.charged;
  });
  return toGenerationRecord(await readOwned(database, target), target.now);
}

/**
 * `POST /v1/generations/{id}/release`: the CLI wrote nothing (interrupted, refused output folder, failed
 * render), so the generation is not charged and its reserved charge is returned at once. Releasing again,
 * or releasing an expired generation, is harmless; a completed generation cannot be released (409).
 */
export async function releaseGeneration(database: Database, target: SettleTarget): Promise<GenerationRecord> {
  const row = await readOwned(database, target);
  if (row.status === 'completed') {
    throw new ApiError(
      'CONFLICT',
      'This generation was completed, so its files exist and it counts; it cannot be released.',
    );
  }
  if (row.status === 'issued') {
    const locked = await withCounterLock(database, row, async (tx, current) => {
      if (current.status !== 'issued') return false;
      await tx.query(`update generations set status = 'released', charged = false where id = $1`, [row.id]);
      return current.charged;
    });
    if (locked.status === 'completed') {
      throw new ApiError(
        'CONFLICT',
        'This generation was completed, so its files exist and it counts; it cannot be released.',
      );
    }
  }
  return toGenerationRecord(await readOwned(database, target), target.now);
}

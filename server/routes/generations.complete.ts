import { and, eq } from 'drizzle-orm';
import type { Handler } from 'hono';
import { GenerationCompleteSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { generations } from '../db/schema/generations.ts';
import { toGenerationRecord } from '../entitlements/generation-record.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(): ApiError {
  return new ApiError('NOT_FOUND', 'No such generation for this account.');
}

/**
 * `POST /v1/generations/{id}/complete`: records files, tests and duration for the caller's history.
 * Repeating the same report is harmless; a different report for a completed generation is 409.
 */
export function completeGeneration(
  deps: Pick<AppDeps, 'database' | 'clock' | 'bodyLimitBytes'>,
): Handler<AppEnv> {
  return async (c) => {
    const { userId } = c.get('principal');
    const id = c.req.param('id') ?? '';
    const report = await parseJsonBody(c, GenerationCompleteSchema, deps.bodyLimitBytes);
    if (!UUID.test(id)) throw notFound();
    const owned = and(eq(generations.id, id), eq(generations.userId, userId));
    const [updated] = await deps.database.db
      .update(generations)
      .set({ ...report, status: 'completed', completedAt: deps.clock() })
      .where(and(owned, eq(generations.status, 'issued')))
      .returning();
    if (updated) return c.json(toGenerationRecord(updated));
    const [existing] = await deps.database.db.select().from(generations).where(owned);
    if (!existing) throw notFound();
    const same =
      existing.files === report.files &&
      existing.tests === report.tests &&
      existing.durationMs === report.durationMs;
    if (!same)
      throw new ApiError('CONFLICT', 'This generation was already completed with different figures.');
    return c.json(toGenerationRecord(existing));
  };
}

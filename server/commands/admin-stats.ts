import * as z from 'zod';
import type { AdminStats } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { formatBillingStats, readBillingStats } from '../billing/billing-stats.ts';

/** `admin stats` takes no input. */
export const AdminStatsInputSchema = z.strictObject({});

/** Runs `specmint-server admin stats` on an open database (directly, or inside the running server). */
export function runAdminStats(deps: Pick<AppDeps, 'database' | 'clock'>): Promise<AdminStats> {
  return readBillingStats(deps.database.db, deps.clock());
}

/** The human output of `admin stats` (without `--json`). */
export function formatAdminStats(stats: AdminStats): string {
  return formatBillingStats(stats);
}

import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Fixed-window request counters shared by every instance (server/http/sql-rate-store.ts): one row per
 * limited key (`acct:<user>`, `auth:<ip>|/sign-in/email`, …), counted with one atomic upsert.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  /** When the current window ends, in milliseconds since the epoch. */
  resetAt: bigint('reset_at', { mode: 'number' }).notNull(),
});

import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Device codes approved or denied on the `/device` page. better-auth deletes a code once the CLI has
 * redeemed it, so without this the page could only say "we don't recognise this code" when the link is
 * opened again; with it, it says the code was already used. Rows older than a day are pruned.
 */
export const deviceCodeOutcomes = pgTable('device_code_outcomes', {
  userCode: text('user_code').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  outcome: text('outcome').$type<'approved' | 'denied'>().notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
});

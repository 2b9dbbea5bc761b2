import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Stripe webhook events already applied, so a redelivered event is ignored. */
export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
});

import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * One live account per mailbox: `mailbox_key` is the one-way key of the account's normalised e-mail
 * (server/accounts/mailbox-key.ts), so `Ann+ci@gmail.com` cannot sign up beside `ann@gmail.com` and get a
 * second Free quota. Deleted with the account.
 */
export const mailboxOwners = pgTable('mailbox_owners', {
  mailboxKey: text('mailbox_key').primaryKey(),
  userId: text('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

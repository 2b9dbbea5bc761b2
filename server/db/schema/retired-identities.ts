import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * The identities of deleted accounts — the one-way key of the normalised e-mail and of each OAuth
 * identity (`oauth:github:<hash>`) — pointing at the anonymous placeholder that now owns the deleted
 * account's usage ledger. An account created later with one of these identities takes over that usage
 * for the periods still running (server/accounts/usage-carry-over.ts), so deleting and re-creating an
 * account does not reset a quota. No e-mail address or provider id is stored in the clear.
 */
export const retiredIdentities = pgTable(
  'retired_identities',
  {
    identityKey: text('identity_key').notNull(),
    ledgerOwnerId: text('ledger_owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    retiredAt: timestamp('retired_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.identityKey, table.ledgerOwnerId] }),
    index('retired_identities_owner_idx').on(table.ledgerOwnerId),
  ],
);

import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/rows.ts';
import { accounts } from '../db/schema/accounts.ts';
import { mailboxOwners } from '../db/schema/mailbox-owners.ts';
import { retiredIdentities } from '../db/schema/retired-identities.ts';
import { mailboxKey, oauthIdentityKey } from './mailbox-key.ts';

/**
 * Quota that survives deleting an account. A deleted account's usage ledger moves to an anonymous
 * placeholder (server/web/data/delete-account.ts), which keeps the one-way keys of the account's
 * identities — its normalised e-mail and its OAuth identities — in `retired_identities`. The next account
 * created with one of those identities takes over the placeholder's usage counters: the specs it used in
 * a period still running count against the new account too. Each placeholder is taken over once.
 */

/** The account that already uses `email`'s mailbox (same normalised address), if any. */
export async function findMailboxOwner(db: Database, email: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: mailboxOwners.userId })
    .from(mailboxOwners)
    .where(eq(mailboxOwners.mailboxKey, mailboxKey(email)));
  return row?.userId ?? null;
}

/** Records that `userId` owns its e-mail's mailbox (first come, first served). */
export async function registerMailbox(db: Database, user: { id: string; email: string }): Promise<void> {
  await db
    .insert(mailboxOwners)
    .values({ mailboxKey: mailboxKey(user.email), userId: user.id })
    .onConflictDoNothing();
}

/**
 * Takes over the usage of deleted accounts that had `identityKey`: claims their placeholders (deleting
 * every retired identity of them, so no other account takes them over too) and adds their usage counters,
 * period by period, to `userId`'s. Returns the number of charges carried over.
 */
export async function carryOverUsage(db: Database, userId: string, identityKey: string): Promise<number> {
  return db.transaction(async (tx) => {
    const claimed = await queryRows<{ ledger_owner_id: string }>(
      tx,
      sql`delete from retired_identities where ledger_owner_id in
          (select ledger_owner_id from retired_identities where identity_key = ${identityKey})
        returning ledger_owner_id`,
    );
    const owners = [...new Set(claimed.map((row) => row.ledger_owner_id))];
    if (owners.length === 0) return 0;
    const carried = await queryRows<{ used: number }>(
      tx,
      sql`with carried as (
          select c.period_start, sum(c.used)::int as used from usage_counters c
          where c.user_id in (select jsonb_array_elements_text(${JSON.stringify(owners)}::jsonb))
            and c.used > 0
          group by c.period_start
        ), added as (
          insert into usage_counters as uc (user_id, period_start, used)
          select ${userId}, period_start, used from carried
          on conflict (user_id, period_start) do update set used = uc.used + excluded.used
        )
        select used from carried`,
    );
    return carried.reduce((sum, row) => sum + Number(row.used), 0);
  });
}

/**
 * At account deletion, inside its transaction: records the account's identities (mailbox and OAuth) as
 * retired under `ledgerOwnerId`, the placeholder that now owns its ledger.
 */
export async function retireIdentities(
  tx: Pick<Database, 'select' | 'insert'>,
  user: { id: string; email: string },
  ledgerOwnerId: string,
): Promise<void> {
  const linked = await tx
    .select({ providerId: accounts.providerId, accountId: accounts.accountId })
    .from(accounts)
    .where(eq(accounts.userId, user.id));
  const keys = new Set([mailboxKey(user.email)]);
  for (const account of linked) {
    if (account.providerId !== 'credential')
      keys.add(oauthIdentityKey(account.providerId, account.accountId));
  }
  await tx
    .insert(retiredIdentities)
    .values([...keys].map((identityKey) => ({ identityKey, ledgerOwnerId })))
    .onConflictDoNothing();
}

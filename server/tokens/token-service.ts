import { and, asc, eq, sql } from 'drizzle-orm';
import type { TokenCreated, TokenSummary } from '../../shared/contracts.ts';
import { isPlanId, PLANS } from '../../shared/plans.ts';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/rows.ts';
import { apiTokens } from '../db/schema/api-tokens.ts';
import { ApiError } from '../http/api-error.ts';
import { mintCiToken } from './ci-token.ts';

type TokenRow = Pick<typeof apiTokens.$inferSelect, 'id' | 'name' | 'prefix' | 'createdAt' | 'lastUsedAt'>;

function toSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

const summaryColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

/** The user's CI tokens, oldest first (never the secrets). */
export async function listCiTokens(db: Database, userId: string): Promise<TokenSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.map(toSummary);
}

/**
 * Creates a CI token within the plan's `ciTokens` limit (409 TOKEN_LIMIT_REACHED beyond). The user's
 * subscription row is locked while counting, so concurrent creations cannot exceed the limit. The
 * secret is returned here only; the database keeps its sha256.
 */
export async function createCiToken(
  db: Database,
  options: { userId: string; name: string; upgradeUrl: string },
): Promise<TokenCreated> {
  return db.transaction(async (tx) => {
    const [subscription] = await queryRows<{ plan: string }>(
      tx,
      sql`insert into subscriptions (user_id) values (${options.userId})
          on conflict (user_id) do update set user_id = excluded.user_id
          returning plan`,
    );
    const plan = PLANS[isPlanId(subscription?.plan) ? subscription.plan : 'free'];
    const [counted] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(apiTokens)
      .where(eq(apiTokens.userId, options.userId));
    const count = counted?.count ?? 0;
    if (plan.ciTokens !== null && count >= plan.ciTokens) {
      throw new ApiError(
        'TOKEN_LIMIT_REACHED',
        `The ${plan.name} plan allows ${plan.ciTokens} CI token${plan.ciTokens === 1 ? '' : 's'}; ` +
          `revoke one (specmint tokens revoke <id>) or upgrade at ${options.upgradeUrl}`,
        { upgradeUrl: options.upgradeUrl, details: { limit: plan.ciTokens } },
      );
    }
    const minted = mintCiToken();
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: options.userId, name: options.name, prefix: minted.prefix, tokenHash: minted.hash })
      .returning(summaryColumns);
    if (!row) throw new Error('token insert returned no row');
    return { ...toSummary(row), token: minted.token };
  });
}

/** Deletes one of the user's tokens; false when there is no such token for this user. */
export async function revokeCiToken(db: Database, userId: string, tokenId: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tokenId)) return false;
  const deleted = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return deleted.length > 0;
}

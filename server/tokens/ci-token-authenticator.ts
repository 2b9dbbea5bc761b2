import { eq, sql } from 'drizzle-orm';
import { toSubscriptionState } from '../accounts/subscription.ts';
import type { Database } from '../db/client.ts';
import { apiTokens } from '../db/schema/api-tokens.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';
import { users } from '../db/schema/users.ts';
import type { Principal } from '../http/principal.ts';
import type { Logger } from '../logger.ts';
import { hashCiToken } from './ci-token.ts';

/** Resolves CI tokens to principals, with a small in-process cache. */
export interface CiTokenAuthenticator {
  /** The principal for `token`, or null when it is unknown or revoked. */
  authenticate(token: string): Promise<Principal | null>;
  /** Forgets a revoked token at once. */
  forgetToken(tokenId: string): void;
  /** Forgets every cached token of a user (plan changed, user deleted). */
  forgetUser(userId: string): void;
}

/** Options of {@link createCiTokenAuthenticator}. */
export interface CiTokenAuthenticatorOptions {
  db: Database;
  logger: Logger;
  /**
   * How long a lookup is reused. Revocations and plan changes made through this process apply at once;
   * ones made by another process (another instance, the admin CLI on PostgreSQL) within this time.
   * @default 5000
   */
  ttlMs?: number;
  /** Most cached tokens. @default 10000 */
  maxEntries?: number;
  /** `last_used_at` is written at most this often per token. @default 60000 */
  touchIntervalMs?: number;
  clock?: () => number;
}

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/** Creates the authenticator. Lookups go through the unique index on `api_tokens.token_hash`. */
export function createCiTokenAuthenticator(options: CiTokenAuthenticatorOptions): CiTokenAuthenticator {
  const { db, logger } = options;
  const ttl = options.ttlMs ?? 5000;
  const max = options.maxEntries ?? 10_000;
  const touchInterval = options.touchIntervalMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, Entry>();
  const touched = new Map<string, number>();

  const lookup = db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: users.id,
      email: users.email,
      name: users.name,
      userCreatedAt: users.createdAt,
      plan: subscriptions.plan,
      periodStart: subscriptions.currentPeriodStart,
      periodEnd: subscriptions.currentPeriodEnd,
      planLapsesAt: subscriptions.planLapsesAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(subscriptions, eq(subscriptions.userId, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder('hash')))
    .prepare('specmint_ci_token_lookup');

  const touch = (tokenId: string, lastUsedAt: Date | null, now: number): void => {
    const last = touched.get(tokenId) ?? lastUsedAt?.getTime() ?? 0;
    if (now - last < touchInterval) return;
    touched.set(tokenId, now);
    if (touched.size > max) touched.delete(touched.keys().next().value as string);
    db.update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, tokenId))
      .catch((error: unknown) => logger.warn('could not record token use', { tokenId, error }));
  };

  return {
    async authenticate(token) {
      const hash = hashCiToken(token);
      const now = clock();
      const hit = cache.get(hash);
      if (hit && hit.expiresAt > now) {
        touch(hit.principal.tokenId!, null, now);
        return hit.principal;
      }
      cache.delete(hash);
      const [row] = await lookup.execute({ hash });
      if (!row) return null;
      const principal: Principal = {
        userId: row.userId,
        email: row.email,
        name: row.name,
        userCreatedAt: row.userCreatedAt,
        ...toSubscriptionState(row),
        kind: 'ci-token',
        tokenId: row.tokenId,
        viaCookie: false,
      };
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(hash, { principal, expiresAt: now + ttl });
      touch(row.tokenId, row.lastUsedAt, now);
      return principal;
    },
    forgetToken(tokenId) {
      for (const [hash, entry] of cache) if (entry.principal.tokenId === tokenId) cache.delete(hash);
    },
    forgetUser(userId) {
      for (const [hash, entry] of cache) if (entry.principal.userId === userId) cache.delete(hash);
    },
  };
}

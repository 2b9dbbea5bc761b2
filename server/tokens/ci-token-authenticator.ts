import { eq, sql } from 'drizzle-orm';
import { toSubscriptionState } from '../accounts/subscription.ts';
import type { Database, DatabaseHandle } from '../db/client.ts';
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
  /** Forgets a revoked token at once, here and (through the database) on every other instance. */
  forgetToken(tokenId: string): void;
  /** Forgets every cached token of a user (plan changed, signed out, deleted), on every instance. */
  forgetUser(userId: string): void;
  /** Starts receiving other instances' invalidations. Resolves once listening. */
  listen(): Promise<void>;
  /** Stops listening. */
  close(): Promise<void>;
}

const LISTEN_RETRY_MS = 2000;

/** The channel on which instances tell each other what to forget. */
export const INVALIDATION_CHANNEL = 'specmint_invalidate';

interface Invalidation {
  kind: 'token' | 'user';
  id: string;
}

function parseInvalidation(payload: string): Invalidation | null {
  try {
    const value = JSON.parse(payload) as Partial<Invalidation>;
    if ((value.kind === 'token' || value.kind === 'user') && typeof value.id === 'string') {
      return { kind: value.kind, id: value.id };
    }
  } catch {
    // not ours
  }
  return null;
}

/** Options of {@link createCiTokenAuthenticator}. */
export interface CiTokenAuthenticatorOptions {
  db: Database;
  logger: Logger;
  /**
   * Carries invalidations between instances (PostgreSQL LISTEN/NOTIFY; in-process on PGlite). Without
   * it, only this process's own changes apply at once.
   */
  channel?: Pick<DatabaseHandle, 'listen' | 'notify'>;
  /**
   * How long a lookup is reused. Revocations and plan changes made by any instance (or the admin CLI)
   * reach every instance's cache through `channel` within milliseconds; this bounds the time only when
   * a notification is lost (a row deleted by hand, a listener that dropped silently).
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
  /** Bumped by every invalidation: a lookup that overlapped one is answered but not cached. */
  let epoch = 0;
  let unlisten: (() => Promise<void>) | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const dropLocally = ({ kind, id }: Invalidation): void => {
    epoch += 1;
    for (const [hash, entry] of cache) {
      if ((kind === 'token' ? entry.principal.tokenId : entry.principal.userId) === id) cache.delete(hash);
    }
  };
  const forget = (invalidation: Invalidation): void => {
    dropLocally(invalidation);
    options.channel
      ?.notify(INVALIDATION_CHANNEL, JSON.stringify(invalidation))
      .catch((error: unknown) =>
        logger.warn('could not tell other instances to forget a token', { ...invalidation, error }),
      );
  };

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

  async function listen(): Promise<void> {
    if (!options.channel || unlisten || closed) return;
    const channel = options.channel;
    let connected = false;
    const onListen = () => {
      // A reconnection: whatever was sent meanwhile is lost, so nothing cached can be trusted.
      if (connected) {
        epoch += 1;
        cache.clear();
      }
      connected = true;
    };
    try {
      unlisten = await channel.listen(
        INVALIDATION_CHANNEL,
        (payload) => {
          const invalidation = parseInvalidation(payload);
          if (invalidation) dropLocally(invalidation);
        },
        onListen,
      );
    } catch (error) {
      // The database is down at start: serve anyway (readiness says 503) and keep trying; until then
      // other instances' changes reach this cache within its TTL.
      logger.warn('cannot listen for token invalidations yet; retrying', { error });
      retry = setTimeout(() => {
        retry = undefined;
        void listen();
      }, LISTEN_RETRY_MS);
      retry.unref();
    }
  }

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
      const startedAt = epoch;
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
      if (startedAt === epoch) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(hash, { principal, expiresAt: now + ttl });
      }
      touch(row.tokenId, row.lastUsedAt, now);
      return principal;
    },
    forgetToken: (tokenId) => forget({ kind: 'token', id: tokenId }),
    forgetUser: (userId) => forget({ kind: 'user', id: userId }),
    listen,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await unlisten?.().catch(() => {});
      unlisten = undefined;
    },
  };
}

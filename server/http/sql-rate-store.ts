import type { DatabaseHandle } from '../db/client.ts';
import { sqlState } from '../db/rows.ts';
import type { Logger } from '../logger.ts';
import { type RateDecision, type RateRule, type RateStore, secondsUntil } from './rate-store.ts';

/** Options of {@link createSqlRateStore}. */
export interface SqlRateStoreOptions {
  database: Pick<DatabaseHandle, 'query'>;
  logger?: Logger;
  /** @default Date.now */
  clock?: () => number;
  /** How often rows of long-ended windows are deleted. @default 60000 */
  sweepIntervalMs?: number;
}

interface Pending {
  key: string;
  windowMs: number;
  max: number;
  resolve(decision: RateDecision): void;
  reject(error: unknown): void;
}

/**
 * Adds each key's weight in one statement. Rows are taken in key order, so two instances counting the
 * same keys at once wait for each other instead of deadlocking. A row whose window ended starts over.
 */
const CONSUME = `insert into rate_limits as r (key, count, reset_at)
  select t.key, t.weight, $3::bigint + t.window_ms
  from unnest($1::text[], $2::int[], $4::bigint[]) as t(key, weight, window_ms)
  order by t.key
  on conflict (key) do update set
    count = case when r.reset_at <= $3::bigint then excluded.count else r.count + excluded.count end,
    reset_at = case when r.reset_at <= $3::bigint then excluded.reset_at else r.reset_at end
  returning key, count, reset_at`;

/** Statements in flight at once; requests arriving meanwhile go together in the next one. */
const MAX_IN_FLIGHT = 2;
const DEADLOCK_ATTEMPTS = 3;

/**
 * The {@link RateStore} in the `rate_limits` table. Requests counted in the same event-loop turn (or
 * while earlier statements run) share ONE upsert — the hot path of `/v1` pays one round trip per group,
 * not per request — and each still gets its exact place in its window's order.
 */
export function createSqlRateStore(options: SqlRateStoreOptions): RateStore {
  const { database, logger } = options;
  const clock = options.clock ?? Date.now;
  let queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function write(jobs: Pending[]): Promise<void> {
    const weights = new Map<string, { weight: number; windowMs: number }>();
    for (const job of jobs) {
      const entry = weights.get(job.key);
      if (entry) entry.weight += 1;
      else weights.set(job.key, { weight: 1, windowMs: job.windowMs });
    }
    const keys = [...weights.keys()];
    const now = clock();
    let rows: { key: string; count: number | string; reset_at: number | string }[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        rows = await database.query(CONSUME, [
          keys,
          keys.map((key) => weights.get(key)!.weight),
          now,
          keys.map((key) => weights.get(key)!.windowMs),
        ]);
        break;
      } catch (error) {
        if (sqlState(error) === '40P01' && attempt < DEADLOCK_ATTEMPTS) continue;
        throw error;
      }
    }
    const totals = new Map(
      rows.map((row) => [row.key, { count: Number(row.count), resetAt: Number(row.reset_at) }]),
    );
    const seen = new Map<string, number>();
    for (const job of jobs) {
      const total = totals.get(job.key);
      if (!total) {
        job.reject(new Error(`rate_limits upsert returned no row for ${job.key}`));
        continue;
      }
      // The k-th request of this group for a key is number (count − weight + k) in its window.
      const index = (seen.get(job.key) ?? 0) + 1;
      seen.set(job.key, index);
      const position = total.count - weights.get(job.key)!.weight + index;
      job.resolve({ allowed: position <= job.max, retryAfterSeconds: secondsUntil(total.resetAt, now) });
    }
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < MAX_IN_FLIGHT) {
      const jobs = queue;
      queue = [];
      inFlight += 1;
      write(jobs)
        .catch((error: unknown) => {
          for (const job of jobs) job.reject(error);
        })
        .finally(() => {
          inFlight -= 1;
          schedule();
        });
    }
  }

  function schedule(): void {
    if (scheduled || queue.length === 0 || inFlight >= MAX_IN_FLIGHT) return;
    scheduled = true;
    setImmediate(flush);
  }

  const sweep = setInterval(() => {
    database
      .query('delete from rate_limits where reset_at < $1::bigint', [clock() - 60_000])
      .catch((error: unknown) => logger?.warn('could not delete ended rate-limit windows', { error }));
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  return {
    kind: 'database',
    consume(key, rule) {
      return new Promise((resolve, reject) => {
        queue.push({ key, windowMs: rule.windowMs, max: rule.max, resolve, reject });
        schedule();
      });
    },
    async peek(key: string, rule: RateRule) {
      const now = clock();
      const [row] = await database.query<{ count: number | string; reset_at: number | string }>(
        'select count, reset_at from rate_limits where key = $1',
        [key],
      );
      if (!row || Number(row.reset_at) <= now) return { allowed: true, retryAfterSeconds: 1 };
      return {
        allowed: Number(row.count) < rule.max,
        retryAfterSeconds: secondsUntil(Number(row.reset_at), now),
      };
    },
    async refund(key) {
      await database.query(
        'update rate_limits set count = count - 1 where key = $1 and count > 0 and reset_at > $2::bigint',
        [key, clock()],
      );
    },
    async close() {
      clearInterval(sweep);
    },
  };
}

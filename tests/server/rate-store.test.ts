/**
 * One conformance suite for every RateStore (server/http/rate-store.ts), run unchanged against each
 * implementation: the `rate_limits` table on PGlite and on PostgreSQL (DATABASE_URL), and Redis (when
 * it answers on 6379; required under CI). Counting must be exact under parallel requests — it is what
 * makes N instances allow what one does.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateStore } from '../../server/http/rate-store.ts';
import { createRedisRateStore } from '../../server/http/redis-rate-store.ts';
import { createSqlRateStore } from '../../server/http/sql-rate-store.ts';
import { createTestDatabase, DB_KINDS, type TestDatabase } from './harness.ts';
import { REDIS_TEST_URL, redisForTests } from './redis-available.ts';

interface Implementation {
  name: string;
  /** Two stores on the same backing state: two instances of the server. */
  open(): Promise<{ a: RateStore; b: RateStore; dispose(): Promise<void> }>;
  /** Whether the suite can run here (Redis may be absent outside CI). */
  available(): Promise<boolean>;
}

const implementations: Implementation[] = [
  ...DB_KINDS.map(
    (kind): Implementation => ({
      name: `rate_limits table [${kind}]`,
      available: async () => true,
      async open() {
        const database: TestDatabase = await createTestDatabase(kind);
        const a = createSqlRateStore({ database: database.handle });
        const b = createSqlRateStore({ database: database.handle });
        return {
          a,
          b,
          dispose: async () => {
            await Promise.all([a.close(), b.close()]);
            await database.dispose();
          },
        };
      },
    }),
  ),
  {
    name: 'Redis',
    available: redisForTests,
    async open() {
      const a = createRedisRateStore({ url: REDIS_TEST_URL });
      const b = createRedisRateStore({ url: REDIS_TEST_URL });
      return { a, b, dispose: async () => void (await Promise.all([a.close(), b.close()])) };
    },
  },
];

for (const implementation of implementations) {
  describe(`RateStore: ${implementation.name}`, () => {
    let stores: Awaited<ReturnType<Implementation['open']>> | undefined;
    let available = false;
    beforeAll(async () => {
      available = await implementation.available();
      if (available) stores = await implementation.open();
    });
    afterAll(async () => {
      await stores?.dispose();
    });
    const key = () => `test:${randomUUID()}`;

    it('fixed window: allows max, then refuses with the seconds left', async ({ skip }) => {
      if (!available) skip('Redis does not answer on 127.0.0.1:6379');
      const { a } = stores!;
      const rule = { max: 2, windowMs: 10_000 };
      const k = key();
      const decisions = [await a.consume(k, rule), await a.consume(k, rule), await a.consume(k, rule)];
      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false]);
      expect(decisions[2]!.retryAfterSeconds).toBeGreaterThanOrEqual(9);
      expect(decisions[2]!.retryAfterSeconds).toBeLessThanOrEqual(10);
      expect((await a.consume(key(), rule)).allowed).toBe(true); // keys are independent
    });

    it('a window that ended starts over', async ({ skip }) => {
      if (!available) skip('Redis does not answer on 127.0.0.1:6379');
      const { a } = stores!;
      const rule = { max: 1, windowMs: 300 };
      const k = key();
      expect((await a.consume(k, rule)).allowed).toBe(true);
      expect((await a.consume(k, rule)).allowed).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await a.peek(k, rule)).allowed).toBe(true);
      expect((await a.consume(k, rule)).allowed).toBe(true);
    });

    it('parallel requests split across two instances are counted exactly', async ({ skip }) => {
      if (!available) skip('Redis does not answer on 127.0.0.1:6379');
      const { a, b } = stores!;
      const rule = { max: 17, windowMs: 60_000 };
      const k = key();
      const decisions = await Promise.all(
        Array.from({ length: 60 }, (_, index) => (index % 2 === 0 ? a : b).consume(k, rule)),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(17);
      expect((await b.peek(k, rule)).allowed).toBe(false);
    });

    it('many keys at once, each with its own count', async ({ skip }) => {
      if (!available) skip('Redis does not answer on 127.0.0.1:6379');
      const { a, b } = stores!;
      const rule = { max: 3, windowMs: 60_000 };
      const keys = Array.from({ length: 8 }, key);
      const decisions = await Promise.all(
        keys.flatMap((k) => Array.from({ length: 5 }, (_, index) => (index % 2 ? a : b).consume(k, rule))),
      );
      for (let index = 0; index < keys.length; index++) {
        expect(decisions.slice(index * 5, index * 5 + 5).filter((decision) => decision.allowed)).toHaveLength(
          3,
        );
      }
    });

    it('peek counts nothing; refund gives one back and never goes below zero', async ({ skip }) => {
      if (!available) skip('Redis does not answer on 127.0.0.1:6379');
      const { a, b } = stores!;
      const rule = { max: 2, windowMs: 60_000 };
      const k = key();
      for (let index = 0; index < 5; index++) expect((await a.peek(k, rule)).allowed).toBe(true);
      await a.consume(k, rule);
      await a.consume(k, rule);
      expect((await b.peek(k, rule)).allowed).toBe(false);
      await b.refund(k);
      expect((await a.peek(k, rule)).allowed).toBe(true);
      expect((await a.consume(k, rule)).allowed).toBe(true);
      expect((await a.consume(k, rule)).allowed).toBe(false);
      const fresh = key();
      await a.refund(fresh);
      await a.refund(fresh);
      expect((await a.consume(fresh, { max: 1, windowMs: 60_000 })).allowed).toBe(true);
      expect((await a.consume(fresh, { max: 1, windowMs: 60_000 })).allowed).toBe(false);
    });
  });
}

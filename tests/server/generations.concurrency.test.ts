import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { generations } from '../../server/db/schema/generations.ts';
import { usageCounters } from '../../server/db/schema/usage-counters.ts';
import { createUserWithToken, describeEachDb, generationBody, postGeneration } from './harness.ts';

async function chargedRows(
  db: ReturnType<Parameters<Parameters<typeof describeEachDb>[1]>[0]['database']>['db'],
  userId: string,
) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(generations)
    .where(and(eq(generations.userId, userId), eq(generations.charged, true)));
  return row?.count ?? 0;
}

describeEachDb('POST /v1/generations under concurrency', ({ server, database }) => {
  it('50 parallel requests for distinct specs with 1 generation left → exactly 1 success, 1 charge', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    for (let index = 0; index < 4; index++) {
      expect((await postGeneration(server(), token, generationBody())).status).toBe(201);
    }
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postGeneration(server(), token, generationBody())),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 402)).toHaveLength(49);
    expect(await chargedRows(database().db, userId)).toBe(5);
    const [counter] = await database()
      .db.select({ used: usageCounters.used })
      .from(usageCounters)
      .where(eq(usageCounters.userId, userId));
    expect(counter?.used).toBe(5);
  });

  it('50 parallel requests for the same new spec charge it exactly once', async () => {
    const { token, userId } = await createUserWithToken(server(), 'pro');
    const body = generationBody();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postGeneration(server(), token, body)),
    );
    const answers = (await Promise.all(responses.map((response) => response.json()))) as {
      charged: boolean;
    }[];
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(answers.filter((answer) => answer.charged)).toHaveLength(1);
    expect(await chargedRows(database().db, userId)).toBe(1);
  });

  it('parallel replays of one Idempotency-Key produce one ledger row and the same answer', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const body = generationBody();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postGeneration(server(), token, body, 'same-key-for-all-20')),
    );
    const answers = (await Promise.all(responses.map((response) => response.json()))) as {
      generationId: string;
    }[];
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(new Set(answers.map((answer) => answer.generationId)).size).toBe(1);
    const [rows] = await database()
      .db.select({ count: sql<number>`count(*)::int` })
      .from(generations)
      .where(eq(generations.userId, userId));
    expect(rows?.count).toBe(1);
  });
});

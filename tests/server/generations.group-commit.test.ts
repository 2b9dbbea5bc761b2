/**
 * Group commit of `POST /v1/generations` (server/entitlements/generation-ledger.ts): concurrent requests
 * are decided together in one transaction. These tests hold it to the guarantees of one-by-one
 * decisions — the quota is never exceeded, a spec is charged once, a key answers once — under load, with
 * two ledgers (two server processes) on one database, and check that users do not wait for each other.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { adminCreateUser } from '../../server/admin/admin-actions.ts';
import type { DatabaseHandle } from '../../server/db/client.ts';
import { generations } from '../../server/db/schema/generations.ts';
import { usageCounters } from '../../server/db/schema/usage-counters.ts';
import { calendarMonthPeriod } from '../../server/entitlements/billing-period.ts';
import { ApiError } from '../../server/http/api-error.ts';
import {
  createTestServer,
  createUserWithToken,
  describeEachDb,
  generationBody,
  postGeneration,
  uniqueEmail,
} from './harness.ts';

interface Answer {
  generationId: string;
  charged: boolean;
  usage: { used: number; limit: number | null };
}

async function ledgerOf(database: DatabaseHandle, userId: string) {
  const rows = await database.db
    .select({
      id: generations.id,
      key: generations.idempotencyKey,
      specHash: generations.specHash,
      charged: generations.charged,
    })
    .from(generations)
    .where(eq(generations.userId, userId));
  const [counter] = await database.db
    .select({ used: usageCounters.used })
    .from(usageCounters)
    .where(eq(usageCounters.userId, userId));
  return { rows, used: counter?.used ?? 0 };
}

/** A mixed burst: new specs, re-runs of a few specs, and keys sent several times. */
function mixedBurst(size: number): { body: Record<string, unknown>; key: string }[] {
  const shared = Array.from({ length: 5 }, () => randomBytes(32).toString('hex'));
  const bodies = new Map<string, Record<string, unknown>>();
  // Retry keys are this burst's own: a later burst for the same account reusing one with another body would
  // rightly get 409 IDEMPOTENCY_CONFLICT whenever the first use had been answered 201.
  const burst = randomUUID();
  return Array.from({ length: size }, (_, index) => {
    if (index % 10 === 3) {
      // A retry: the same key and body as an earlier request.
      const key = `retry-key-${burst}-${index % 30}`;
      if (!bodies.has(key)) bodies.set(key, generationBody());
      return { key, body: bodies.get(key)! };
    }
    const specHash = index % 4 === 0 ? shared[index % 5]! : randomBytes(32).toString('hex');
    return { key: randomUUID(), body: generationBody({ specHash }) };
  });
}

/** Every guarantee of one-by-one decisions, checked against the answers and the stored ledger. */
async function expectConsistent(options: {
  database: DatabaseHandle;
  userId: string;
  limit: number;
  sent: { body: Record<string, unknown>; key: string }[];
  responses: Response[];
}) {
  const { database, userId, limit, sent, responses } = options;
  const answers = await Promise.all(responses.map((response) => response.json() as Promise<Answer>));
  const statuses = responses.map((response) => response.status);
  expect(
    statuses.filter((status) => status !== 201 && status !== 402),
    JSON.stringify(answers.filter((_, i) => statuses[i] !== 201 && statuses[i] !== 402).slice(0, 2)),
  ).toEqual([]);
  const ledger = await ledgerOf(database, userId);
  const charged = ledger.rows.filter((row) => row.charged);
  // Never over the quota; the counter is exactly the number of charged rows.
  expect(charged.length).toBeLessThanOrEqual(limit);
  expect(ledger.used).toBe(charged.length);
  // A refusal only once the quota is used up.
  if (statuses.includes(402)) expect(charged.length).toBe(limit);
  // A spec is charged at most once.
  expect(new Set(charged.map((row) => row.specHash)).size).toBe(charged.length);
  // Every key answered with one ledger row, the same answer each time.
  const byKey = new Map<string, string>();
  sent.forEach(({ key }, index) => {
    if (statuses[index] !== 201) return;
    const seen = byKey.get(key);
    if (seen) expect(answers[index]!.generationId).toBe(seen);
    else byKey.set(key, answers[index]!.generationId);
  });
  expect(ledger.rows).toHaveLength(byKey.size);
  expect(new Set(ledger.rows.map((row) => row.id))).toEqual(new Set(byKey.values()));
  // The counter in each charged answer is distinct and within the limit.
  const counts = answers
    .filter((answer, index) => statuses[index] === 201 && answer.charged)
    .map((a) => a.usage.used);
  expect(new Set(counts).size).toBe(new Set(charged.map((row) => row.id)).size);
  expect(Math.max(0, ...counts)).toBeLessThanOrEqual(limit);
}

/**
 * Holds a user's counter row in a transaction of its own, as another server's batch would, until `release()`;
 * `holder` settles once the transaction has ended.
 */
async function holdCounterRow(
  database: DatabaseHandle,
  userId: string,
): Promise<{ release: () => void; holder: Promise<unknown> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = database.transaction(async (tx) => {
    await tx.query('select used from usage_counters where user_id = $1 for update', [userId]);
    locked();
    await held;
  });
  await lockTaken;
  return { release, holder };
}

describeEachDb('POST /v1/generations: group commit', ({ kind, server, database }) => {
  it('150 parallel mixed requests for one Pro account: quota, charges and keys stay exact, in fewer transactions', async () => {
    const { token, userId } = await createUserWithToken(server(), 'pro');
    const before = server().deps.generations.stats();
    const sent = mixedBurst(150);
    const responses = await Promise.all(
      sent.map(({ body, key }) => postGeneration(server(), token, body, key)),
    );
    await expectConsistent({ database: database(), userId, limit: 100, sent, responses });
    const after = server().deps.generations.stats();
    expect(after.requests - before.requests).toBe(150);
    expect(after.transactions - before.transactions).toBeLessThan(150);
  });

  it('an account with 3 generations left gets exactly 3 charges out of 60 parallel new specs', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const first = Array.from({ length: 2 }, () => ({ key: randomUUID(), body: generationBody() }));
    const earlier: Response[] = [];
    for (const { body, key } of first) earlier.push(await postGeneration(server(), token, body, key));
    expect(earlier.map((response) => response.status)).toEqual([201, 201]);
    const sent = Array.from({ length: 60 }, () => ({ key: randomUUID(), body: generationBody() }));
    const responses = await Promise.all(
      sent.map(({ body, key }) => postGeneration(server(), token, body, key)),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    await expectConsistent({
      database: database(),
      userId,
      limit: 5,
      sent: [...first, ...sent],
      responses: [...earlier, ...responses],
    });
  });

  it('two servers (two ledgers) on one database never over-grant one account together', async () => {
    const other = await createTestServer(kind, database());
    const { token, userId } = await createUserWithToken(server(), 'free');
    // The counter row exists before the burst (a brand-new row would serialise the first writers anyway).
    const first: { key: string; body: Record<string, unknown> }[] = [
      { key: randomUUID(), body: generationBody() },
    ];
    const earlier = [await postGeneration(server(), token, first[0]!.body, first[0]!.key)];
    expect(earlier[0]!.status).toBe(201);
    for (let round = 0; round < 3; round++) {
      const sent = mixedBurst(60);
      const responses = await Promise.all(
        sent.map(({ body, key }, index) =>
          postGeneration(index % 2 === 0 ? server() : other, token, body, key),
        ),
      );
      first.push(...sent);
      earlier.push(...responses);
    }
    await expectConsistent({ database: database(), userId, limit: 5, sent: first, responses: earlier });
  });

  it('many accounts at once: each one gets its own exact quota', async () => {
    const accounts = await Promise.all(
      Array.from({ length: 6 }, () => createUserWithToken(server(), 'free')),
    );
    const bursts = accounts.map(() => mixedBurst(25));
    const responses = await Promise.all(
      accounts.map((account, index) =>
        Promise.all(
          bursts[index]!.map(({ body, key }) => postGeneration(server(), account.token, body, key)),
        ),
      ),
    );
    for (const [index, account] of accounts.entries()) {
      await expectConsistent({
        database: database(),
        userId: account.userId,
        limit: 5,
        sent: bursts[index]!,
        responses: responses[index]!,
      });
    }
  });

  it('one failing request does not fail the others decided with it', async () => {
    const { userId } = await createUserWithToken(server(), 'pro');
    const period = calendarMonthPeriod(new Date());
    const issue = (user: string) =>
      server().deps.generations.issue({
        userId: user,
        plan: 'pro',
        period,
        request: {
          specHash: randomBytes(32).toString('hex'),
          specTitle: 'T',
          operationCount: 1,
          formats: ['pytest'],
          ai: null,
          cliVersion: '1',
        },
        idempotencyKey: randomUUID(),
        now: new Date(),
        upgradeUrl: 'http://licence.test/pricing',
      });
    // An account deleted while its request waited: the write breaks a foreign key.
    const results = await Promise.allSettled([
      issue(userId),
      issue('deleted-user'),
      issue(userId),
      issue(userId),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((await ledgerOf(database(), userId)).rows).toHaveLength(3);
  });

  it('drain() resolves once every queued request is committed', async () => {
    const { token, userId } = await createUserWithToken(server(), 'pro');
    const ledger = server().deps.generations;
    const before = ledger.stats().requests;
    const pending = Array.from({ length: 20 }, () => postGeneration(server(), token, generationBody()));
    // Wait until all 20 reached the ledger (authentication and body parsing come first)…
    while (ledger.stats().requests - before < 20) await new Promise((resolve) => setImmediate(resolve));
    // …then drain: by the time it resolves, every one of them is committed.
    await ledger.drain();
    expect((await ledgerOf(database(), userId)).rows).toHaveLength(20);
    const statuses = (await Promise.all(pending)).map((response) => response.status);
    expect(statuses.every((status) => status === 201)).toBe(true);
  });

  it.skipIf(kind !== 'postgres')(
    'an account whose counter is locked elsewhere does not hold up other accounts [postgres: needs a second connection]',
    async () => {
      const blocked = await createUserWithToken(server(), 'pro');
      const free = await createUserWithToken(server(), 'pro');
      expect((await postGeneration(server(), blocked.token, generationBody())).status).toBe(201);
      // Another process holds the blocked account's counter row (as a long batch would).
      const { release, holder } = await holdCounterRow(database(), blocked.userId);
      let blockedDone = false;
      const waiting = postGeneration(server(), blocked.token, generationBody()).then((response) => {
        blockedDone = true;
        return response;
      });
      // Several requests of the other account go through, one after the other, meanwhile.
      for (let index = 0; index < 3; index++) {
        expect((await postGeneration(server(), free.token, generationBody())).status).toBe(201);
      }
      expect(blockedDone).toBe(false);
      release();
      await holder;
      expect((await waiting).status).toBe(201);
      expect((await ledgerOf(database(), blocked.userId)).used).toBe(2);
    },
  );

  it.skipIf(kind !== 'postgres')(
    'a batch that meets an account locked elsewhere writes its accounts apart: the others commit at once [postgres]',
    async () => {
      const period = calendarMonthPeriod(new Date());
      const account = async (name: string) => {
        const { userId } = await adminCreateUser(server().deps, {
          email: uniqueEmail(name),
          password: 'correct horse battery',
          plan: 'pro',
        });
        return {
          userId,
          input: () => ({
            userId,
            plan: 'pro' as const,
            period,
            request: {
              specHash: randomBytes(32).toString('hex'),
              specTitle: 'T',
              operationCount: 1,
              formats: ['pytest' as const],
              ai: null,
              cliVersion: '1',
            },
            idempotencyKey: randomUUID(),
            now: new Date(),
            upgradeUrl: 'http://licence.test/pricing',
          }),
        };
      };
      const blocked = await account('batch-blocked');
      const other = await account('batch-other');
      const ledger = server().deps.generations;
      await ledger.issue(blocked.input()); // its counter row exists from here on
      const { release, holder } = await holdCounterRow(database(), blocked.userId);
      // Issued in one event-loop turn, the two requests go in one batch.
      const transactions = ledger.stats().transactions;
      const waiting = ledger.issue(blocked.input());
      const through = await ledger.issue(other.input());
      expect(ledger.stats().transactions - transactions).toBeGreaterThanOrEqual(2);
      expect(through.response).toMatchObject({ usage: { used: 1 } });
      // The other account's next request does not wait for the locked one either.
      const next = await Promise.race([
        ledger.issue(other.input()),
        new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
      ]);
      expect(next).toMatchObject({ response: { usage: { used: 2 } } });
      release();
      await holder;
      expect((await waiting).response).toMatchObject({ usage: { used: 2 } });
    },
  );

  it('error: a NUL character in a text field is refused with 400, not a failed write', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const response = await postGeneration(server(), token, generationBody({ specTitle: 'Pet\u0000store' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    expect((await ledgerOf(database(), userId)).rows).toHaveLength(0);
  });

  it('rejects with QUOTA_EXCEEDED from issue() itself, not only over HTTP', async () => {
    const email = uniqueEmail('zero');
    const { userId } = await adminCreateUser(server().deps, {
      email,
      password: 'correct horse battery',
      plan: 'free',
    });
    const period = calendarMonthPeriod(new Date());
    const request = () => ({
      userId,
      plan: 'free' as const,
      period,
      request: {
        specHash: randomBytes(32).toString('hex'),
        specTitle: 'T',
        operationCount: 1,
        formats: ['pytest' as const],
        ai: null,
        cliVersion: '1',
      },
      idempotencyKey: randomUUID(),
      now: new Date(),
      upgradeUrl: 'http://licence.test/pricing',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => server().deps.generations.issue(request())),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(3);
    for (const result of refused) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
      expect(((result as PromiseRejectedResult).reason as ApiError).code).toBe('QUOTA_EXCEEDED');
    }
    const [charged] = await database()
      .db.select({ count: sql<number>`count(*)::int` })
      .from(generations)
      .where(and(eq(generations.userId, userId), eq(generations.charged, true)));
    expect(charged?.count).toBe(5);
  });
});

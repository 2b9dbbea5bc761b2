/**
 * Reserve, then confirm or release (issue #19 item 3): a generation that writes nothing is not charged.
 * `POST /v1/generations` reserves, `…/complete` confirms, `…/release` and an expired reservation give the
 * charge back, and live reservations count in the quota check.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../server/db/rows.ts';
import { usageCounters } from '../../server/db/schema/usage-counters.ts';
import { GenerationRecordSchema, MeSchema } from '../../shared/contracts.ts';
import {
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
  type TestServer,
} from './harness.ts';

interface Grant {
  generationId: string;
  charged: boolean;
  usage: { used: number; remaining: number | null };
}

const REPORT = { files: 3, tests: 12, durationMs: 40 };

async function grant(server: TestServer, token: string, body: Record<string, unknown>): Promise<Grant> {
  const response = await postGeneration(server, token, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Grant;
}

async function settle(server: TestServer, token: string, id: string, action: 'complete' | 'release') {
  return server.request(
    `/v1/generations/${id}/${action}`,
    jsonRequest('POST', token, action === 'complete' ? REPORT : undefined),
  );
}

async function used(server: TestServer, token: string): Promise<number> {
  const me = MeSchema.parse(await (await server.request('/v1/me', jsonRequest('GET', token))).json());
  return me.usage.used;
}

/** The counter equals the rows holding a charge: the ledger's invariant. */
async function expectCounterMatchesLedger(server: TestServer, userId: string) {
  const db = server.deps.database.db;
  const [counter] = await db
    .select({ used: usageCounters.used })
    .from(usageCounters)
    .where(eq(usageCounters.userId, userId));
  const [charged] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from generations where user_id = ${userId} and charged`,
  );
  expect(counter?.used ?? 0).toBe(Number(charged?.n));
}

describeEachDb('generations: reserve, then confirm or release', ({ server }) => {
  it('happy: a released generation is not charged; the same spec later is charged when it completes', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const body = generationBody();
    const first = await grant(server(), token, body);
    expect(first).toMatchObject({ charged: true, usage: { used: 1, remaining: 4 } });
    expect(await used(server(), token)).toBe(1);

    const released = await settle(server(), token, first.generationId, 'release');
    expect(released.status).toBe(200);
    expect(GenerationRecordSchema.parse(await released.json())).toMatchObject({
      status: 'released',
      charged: false,
    });
    expect(await used(server(), token)).toBe(0);
    // Harmless twice; never completable afterwards.
    expect((await settle(server(), token, first.generationId, 'release')).status).toBe(200);
    expect((await settle(server(), token, first.generationId, 'complete')).status).toBe(409);

    const again = await grant(server(), token, body);
    expect(again).toMatchObject({ charged: true, usage: { used: 1 } });
    const completed = await settle(server(), token, again.generationId, 'complete');
    expect(GenerationRecordSchema.parse(await completed.json())).toMatchObject({
      status: 'completed',
      charged: true,
    });
    expect(await used(server(), token)).toBe(1);
    // A completed generation counts: it cannot be released.
    expect((await settle(server(), token, again.generationId, 'release')).status).toBe(409);
    await expectCounterMatchesLedger(server(), userId);
  });

  it('happy: live reservations count in the quota; releasing one frees its place at once', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const grants = await Promise.all(
      Array.from({ length: 5 }, () => grant(server(), token, generationBody())),
    );
    const over = await postGeneration(server(), token, generationBody());
    expect(over.status).toBe(402);
    expect((await settle(server(), token, grants[0]!.generationId, 'release')).status).toBe(200);
    const next = await grant(server(), token, generationBody());
    expect(next).toMatchObject({ charged: true, usage: { used: 5, remaining: 0 } });
    await expectCounterMatchesLedger(server(), userId);
  });

  it('happy: a reservation left open past its usage token expires uncharged; a late report keeps it so', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const start = new Date('2031-04-10T09:00:00Z');
    try {
      server().setNow(start);
      const body = generationBody();
      const open = await grant(server(), token, body);
      expect(await used(server(), token)).toBe(1);

      server().setNow(new Date(start.getTime() + 14 * 60_000));
      expect(await used(server(), token)).toBe(1);
      server().setNow(new Date(start.getTime() + 16 * 60_000));
      // Read before any batch swept it, and after.
      expect(await used(server(), token)).toBe(0);
      const list = await server().request('/v1/generations', jsonRequest('GET', token));
      expect(((await list.json()) as { items: unknown[] }).items[0]).toMatchObject({
        id: open.generationId,
        status: 'expired',
        charged: false,
      });
      const rerun = await grant(server(), token, body);
      expect(rerun).toMatchObject({ charged: true, usage: { used: 1 } });
      await expectCounterMatchesLedger(server(), userId);

      const late = await settle(server(), token, open.generationId, 'complete');
      expect(late.status).toBe(200);
      expect(GenerationRecordSchema.parse(await late.json())).toMatchObject({
        status: 'expired',
        charged: false,
        ...REPORT,
      });
      expect((await settle(server(), token, rerun.generationId, 'complete')).status).toBe(200);
      expect(await used(server(), token)).toBe(1);
      await expectCounterMatchesLedger(server(), userId);
    } finally {
      server().setNow(null);
    }
  });

  it('happy: a late report before any sweep returns the charge exactly once', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const start = new Date('2031-05-10T09:00:00Z');
    try {
      server().setNow(start);
      const open = await grant(server(), token, generationBody());
      server().setNow(new Date(start.getTime() + 20 * 60_000));
      const late = await settle(server(), token, open.generationId, 'complete');
      expect(GenerationRecordSchema.parse(await late.json())).toMatchObject({
        status: 'expired',
        charged: false,
      });
      expect(await used(server(), token)).toBe(0);
      expect((await settle(server(), token, open.generationId, 'release')).status).toBe(200);
      await grant(server(), token, generationBody());
      expect(await used(server(), token)).toBe(1);
      await expectCounterMatchesLedger(server(), userId);
    } finally {
      server().setNow(null);
    }
  });

  it('security: a run killed before completing, then re-run, still charges the spec once', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const body = generationBody();
    const killed = await grant(server(), token, body);
    const rerun = await grant(server(), token, body);
    expect([killed.charged, rerun.charged]).toEqual([true, false]);
    // The re-run completes while the killed run's reservation is still open: it takes the charge.
    const completed = await settle(server(), token, rerun.generationId, 'complete');
    expect(GenerationRecordSchema.parse(await completed.json())).toMatchObject({
      status: 'completed',
      charged: true,
    });
    expect((await settle(server(), token, killed.generationId, 'release')).status).toBe(200);
    expect(await used(server(), token)).toBe(1);
    await expectCounterMatchesLedger(server(), userId);

    // The charge given back first, then an overlapping run of the spec completes: charged again.
    const other = generationBody();
    const first = await grant(server(), token, other);
    const second = await grant(server(), token, other);
    expect((await settle(server(), token, first.generationId, 'release')).status).toBe(200);
    expect(await used(server(), token)).toBe(1);
    const done = await settle(server(), token, second.generationId, 'complete');
    expect(GenerationRecordSchema.parse(await done.json())).toMatchObject({ charged: true });
    expect(await used(server(), token)).toBe(2);
    // A plain re-run of a completed spec stays free.
    const free = await grant(server(), token, other);
    const freeDone = await settle(server(), token, free.generationId, 'complete');
    expect(GenerationRecordSchema.parse(await freeDone.json())).toMatchObject({ charged: false });
    expect(await used(server(), token)).toBe(2);
    await expectCounterMatchesLedger(server(), userId);
  });

  it('security: another account cannot release or complete a generation; unknown ids are 404', async () => {
    const owner = await createUserWithToken(server(), 'free');
    const other = await createUserWithToken(server(), 'free');
    const granted = await grant(server(), owner.token, generationBody());
    for (const id of [granted.generationId, randomUUID(), 'not-a-uuid']) {
      expect((await settle(server(), other.token, id, 'release')).status).toBe(404);
    }
    expect((await settle(server(), other.token, granted.generationId, 'complete')).status).toBe(404);
    expect(await used(server(), owner.token)).toBe(1);
    expect(
      (await server().request(`/v1/generations/${granted.generationId}/release`, { method: 'POST' })).status,
    ).toBe(401);
  });

  it('the route is described in /openapi.json', async () => {
    const document = (await (await server().request('/openapi.json')).json()) as {
      paths: Record<string, { post?: { operationId?: string } }>;
    };
    expect(document.paths['/v1/generations/{id}/release']?.post?.operationId).toBe('releaseGeneration');
  });
});

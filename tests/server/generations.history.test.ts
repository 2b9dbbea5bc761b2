import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { GenerationListSchema, GenerationRecordSchema, MeSchema } from '../../shared/contracts.ts';
import {
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
} from './harness.ts';

interface Seeded {
  token: string;
  ids: string[];
}

describeEachDb('generation history: complete, list, export, /v1/me', ({ server }) => {
  let seeded: Seeded;
  const at = (day: number) => new Date(Date.UTC(2031, 5, day, 12));

  beforeAll(async () => {
    const { token } = await createUserWithToken(server(), 'pro');
    const specs = [
      { day: 1, title: 'Petstore API', formats: ['pytest'] },
      { day: 2, title: 'Billing API', formats: ['vitest', 'k6'] },
      { day: 3, title: 'Pet Adoption', formats: ['k6'] },
      { day: 4, title: '=HYPERLINK("x")', formats: ['jest'] },
      { day: 5, title: 'Petstore API', formats: ['postman'] },
    ];
    const ids: string[] = [];
    try {
      for (const spec of specs) {
        server().setNow(at(spec.day));
        const response = await postGeneration(
          server(),
          token,
          generationBody({ specTitle: spec.title, formats: spec.formats }),
        );
        ids.push(((await response.json()) as { generationId: string }).generationId);
      }
    } finally {
      server().setNow(null);
    }
    seeded = { token, ids };
  });

  const list = async (query: string) => {
    const response = await server().request(`/v1/generations${query}`, jsonRequest('GET', seeded.token));
    expect(response.status).toBe(200);
    return GenerationListSchema.parse(await response.json());
  };

  it('happy: complete records files, tests and duration; repeating it is harmless', async () => {
    // The newest seeded generation: the older ones were left open past their 15-minute reservation and
    // expired when the next day's request swept them (a late completion no longer confirms a charge).
    const id = seeded.ids[4]!;
    const report = { files: 4, tests: 37, durationMs: 812 };
    const done = await server().request(
      `/v1/generations/${id}/complete`,
      jsonRequest('POST', seeded.token, report),
    );
    expect(done.status).toBe(200);
    expect(GenerationRecordSchema.parse(await done.json())).toMatchObject({
      id,
      status: 'completed',
      ...report,
    });
    const again = await server().request(
      `/v1/generations/${id}/complete`,
      jsonRequest('POST', seeded.token, report),
    );
    expect(again.status).toBe(200);
    const changed = await server().request(
      `/v1/generations/${id}/complete`,
      jsonRequest('POST', seeded.token, { ...report, tests: 1 }),
    );
    expect(changed.status).toBe(409);
  });

  it('error/security: completing an unknown, malformed or someone else’s generation → 404 / 400', async () => {
    const other = await createUserWithToken(server(), 'free');
    const report = { files: 1, tests: 1, durationMs: 1 };
    const foreign = await server().request(
      `/v1/generations/${seeded.ids[1]}/complete`,
      jsonRequest('POST', other.token, report),
    );
    expect(foreign.status).toBe(404);
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const response = await server().request(
        `/v1/generations/${id}/complete`,
        jsonRequest('POST', seeded.token, report),
      );
      expect(response.status).toBe(404);
    }
    const bad = await server().request(
      `/v1/generations/${seeded.ids[1]}/complete`,
      jsonRequest('POST', seeded.token, { files: -1, tests: 1, durationMs: 1 }),
    );
    expect(bad.status).toBe(400);
  });

  it('happy: pages newest first with a cursor until the end', async () => {
    const first = await list('?limit=2');
    expect(first.items.map((item) => item.id)).toEqual([seeded.ids[4], seeded.ids[3]]);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => item.id)).toEqual([seeded.ids[2], seeded.ids[1]]);
    const third = await list(`?limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((item) => item.id)).toEqual([seeded.ids[0]]);
    expect(third.nextCursor).toBeNull();
  });

  it('happy: filters by title search, output format and date range', async () => {
    expect((await list('?q=petst')).items.map((item) => item.id)).toEqual([seeded.ids[4], seeded.ids[0]]);
    expect((await list('?q=%25')).items).toEqual([]);
    expect((await list('?outputFormat=k6')).items.map((item) => item.id)).toEqual([
      seeded.ids[2],
      seeded.ids[1],
    ]);
    expect((await list('?from=2031-06-02&to=2031-06-03')).items.map((item) => item.id)).toEqual([
      seeded.ids[2],
      seeded.ids[1],
    ]);
  });

  it('happy: exports CSV and JSON attachments', async () => {
    const csv = await server().request('/v1/generations?format=csv&q=API', jsonRequest('GET', seeded.token));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="specmint-generations-.*\.csv"/,
    );
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,createdAt,specTitle,specHash,formats,charged/);
    expect(lines).toHaveLength(4);
    const json = await server().request('/v1/generations?format=json', jsonRequest('GET', seeded.token));
    const exported = (await json.json()) as { items: unknown[] };
    expect(exported.items).toHaveLength(5);
    const injection = await server().request(
      '/v1/generations?format=csv&q=HYPERLINK',
      jsonRequest('GET', seeded.token),
    );
    expect((await injection.text()).split('\r\n')[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('security/error: only the caller’s rows; bad queries are 400', async () => {
    const other = await createUserWithToken(server(), 'free');
    const response = await server().request('/v1/generations', jsonRequest('GET', other.token));
    expect(GenerationListSchema.parse(await response.json()).items).toEqual([]);
    for (const query of [
      '?limit=0',
      '?limit=1000',
      '?outputFormat=cobol',
      '?format=xml',
      '?cursor=garbage',
      '?from=yesterday',
      '?extra=1',
    ]) {
      const bad = await server().request(`/v1/generations${query}`, jsonRequest('GET', seeded.token));
      expect(bad.status, query).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('happy: /v1/me reports plan, usage and the billing period', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    try {
      server().setNow(new Date('2031-02-10T08:00:00Z'));
      await postGeneration(server(), token, generationBody());
      const me = MeSchema.parse(await (await server().request('/v1/me', jsonRequest('GET', token))).json());
      expect(me).toMatchObject({
        plan: 'free',
        usage: { plan: 'free', used: 1, limit: 5, remaining: 4, periodEnd: '2031-03-01T00:00:00.000Z' },
        periodStart: '2031-02-01T00:00:00.000Z',
        periodEnd: '2031-03-01T00:00:00.000Z',
        auth: 'ci-token',
      });
    } finally {
      server().setNow(null);
    }
  });
});

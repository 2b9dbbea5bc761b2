/**
 * References named by a role (`authorId` → the spec's users), lists of ids (`labelIds`), ids of things the spec
 * does not describe (`externalId`), references that are null by default, precondition headers (`If-Match`) and
 * the texts setup steps make up for the server to keep unique
 * (tests/fixtures/specs/plan/roles-and-preconditions.yaml).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { conforms } from '../../../cli/engine/data/check.ts';
import type { ApiIr } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import type { TestCase, TestPlan, TestStep } from '../../../cli/engine/plan/types.ts';
import { renamedText } from '../../../cli/engine/plan/unique-rename.ts';

const SPEC = join(import.meta.dirname, '../../fixtures/specs/plan/roles-and-preconditions.yaml');

let ir: ApiIr;
let quick: TestPlan;
let standard: TestPlan;

beforeAll(async () => {
  ir = (await prepareSpec(SPEC)).ir;
  quick = planTests(ir, { seed: 1 });
  standard = planTests(ir, { seed: 1, depth: 'standard' });
});

const bodyOf = (step: TestStep | undefined) => step?.body?.value as Record<string, unknown> | undefined;
const last = (c: TestCase | undefined) => c?.steps.at(-1);
const cases = (plan: TestPlan, operationId: string, category = 'contract'): TestCase[] =>
  plan.cases.filter((c) => c.operationId === operationId && c.category === category);

describe('references', () => {
  it('named by the role a person plays are ids of the users a setup step creates', () => {
    const [typical] = cases(quick, 'createComment');
    expect(typical?.steps.map((s) => s.operationId)).toEqual(['createUser', 'createComment']);
    expect(bodyOf(last(typical))?.authorId).toEqual({ $var: 'authorId' });
    expect(last(typical)?.expect.status).toEqual(['201']);
  });

  it('in a list hold one id of a resource a setup step creates', () => {
    const [typical] = cases(quick, 'createTask');
    expect(typical?.steps.map((s) => s.operationId)).toEqual(['createProject', 'createLabel', 'createTask']);
    expect(bodyOf(last(typical))?.labelIds).toEqual([{ $var: 'labelIds' }]);
    expect(last(typical)?.expect.status).toEqual(['201']);
  });

  it('to something the spec does not describe, or null by default, may meet the declared 4xx when sent', () => {
    const contract = cases(standard, 'createTask');
    const external = contract.filter((c) => bodyOf(last(c))?.externalId !== undefined);
    const assignee = contract.filter((c) => typeof bodyOf(last(c))?.assigneeId === 'number');
    const neither = contract.filter(
      (c) => bodyOf(last(c))?.externalId === undefined && typeof bodyOf(last(c))?.assigneeId !== 'number',
    );
    expect(external.length).toBeGreaterThan(0);
    expect(assignee.length).toBeGreaterThan(0);
    expect(neither.length).toBeGreaterThan(0);
    for (const c of [...external, ...assignee]) expect(last(c)?.expect.status, c.title).toContain('422');
    for (const c of neither) expect(last(c)?.expect.status, c.title).toEqual(['201']);
  });
});

describe('references by the identifier an item path ends with', () => {
  it('name two accounts a setup makes, one each, and a 422 for insufficient funds is accepted', () => {
    const [typical] = cases(quick, 'createTransfer');
    expect(typical?.steps.map((s) => s.operationId)).toEqual([
      'openAccount',
      'openAccount',
      'createTransfer',
    ]);
    const body = bodyOf(last(typical));
    expect(body?.fromIban).toEqual({ $var: 'fromIban' });
    expect(body?.toIban).toEqual({ $var: 'toIban' });
    expect(typical?.steps[0]?.capture).toEqual({ fromIban: '/iban' });
    expect(typical?.steps[1]?.capture).toEqual({ toIban: '/iban' });
    // The spec says a valid transfer may meet a 422: the accounts' balances are not the suite's to know.
    expect(last(typical)?.expect.status).toEqual(['201', '422']);
  });

  it('a 422 that only says a request is invalid, or that something does not exist, stays a failure', () => {
    const [comment] = cases(quick, 'createComment');
    expect(last(comment)?.expect.status).toEqual(['201']);
  });
});

describe('items named by their identifiers elsewhere than under their collection', () => {
  it('in a path are made in the parent the path names', () => {
    const [typical] = cases(quick, 'getAvailability');
    expect(typical?.steps.map((s) => s.operationId)).toEqual([
      'createBuilding',
      'createRoom',
      'getAvailability',
    ]);
    const building = typical?.steps[0]?.capture ?? {};
    const variable = Object.keys(building)[0] as string;
    expect(typical?.steps[1]?.path).toContainEqual({ $var: variable });
    expect(last(typical)?.path.filter((part) => typeof part !== 'string')).toEqual([
      { $var: variable },
      { $var: Object.keys(typical?.steps[1]?.capture ?? {})[0] },
    ]);
    expect(last(typical)?.expect.status).toEqual(['200']);
  });

  it('in a body are made in the parent the body names, parents first', () => {
    const [typical] = cases(quick, 'createReservation');
    expect(typical?.steps.map((s) => s.operationId)).toEqual([
      'createBuilding',
      'createRoom',
      'createReservation',
    ]);
    const body = bodyOf(last(typical));
    expect(typical?.steps[1]?.path).toContainEqual(body?.buildingCode);
    expect(body?.roomNumber).toEqual({ $var: Object.keys(typical?.steps[1]?.capture ?? {})[0] });
  });

  it('a header naming a time zone is sent only real zone names', () => {
    const zones = cases(standard, 'getAvailability').flatMap((c) => last(c)?.headers['X-Timezone'] ?? []);
    expect(zones.length).toBeGreaterThan(0);
    for (const zone of zones)
      expect(['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata']).toContain(zone);
  });
});

describe('a pagination cursor', () => {
  it('is left out of the typical request, which must then succeed', () => {
    const [typical] = cases(quick, 'listTransactions');
    expect(last(typical)?.query).toEqual([]);
    expect(last(typical)?.expect.status).toEqual(['200']);
  });

  it('made up by an input class lets the request meet the declared 4xx', () => {
    const sent = cases(standard, 'listTransactions').filter((c) =>
      last(c)?.query.some(([n]) => n === 'cursor'),
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const c of sent) expect(last(c)?.expect.status, c.title).toEqual(['200', '400']);
  });
});

describe('a precondition header', () => {
  it('is left out of the typical request, which must then succeed', () => {
    const [typical] = cases(quick, 'replaceLabel');
    expect(last(typical)?.headers).toEqual({});
    expect(last(typical)?.expect.status).toEqual(['200']);
  });

  it('sent by an input class lets the request meet the declared 412', () => {
    const sent = cases(standard, 'replaceLabel').filter((c) => last(c)?.headers['If-Match'] !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    for (const c of sent) expect(last(c)?.expect.status, c.title).toEqual(['200', '412']);
  });

  it('is only given visible ASCII text (what a client can send)', () => {
    for (const c of cases(standard, 'replaceLabel')) {
      expect(last(c)?.headers['If-Match'] ?? '', c.title).toMatch(
        /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/,
      );
    }
  });
});

describe('texts setup steps make up for the server to keep unique', () => {
  it("are another value of a pattern than the schema's example, and listed for runs to rename", () => {
    const setups = cases(quick, 'createTask').map((c) => c.steps[0] as TestStep);
    const keys = setups.map((step) => bodyOf(step)?.key);
    for (const [index, step] of setups.entries()) {
      expect(keys[index]).not.toBe('ABC');
      expect(keys[index]).toMatch(/^[A-Z]{2,6}$/);
      expect(step.unique).toContainEqual({ text: keys[index], shape: 'classes' });
    }
  });

  it('are renamed per run to other values of the same schema, each different', () => {
    const key = { type: 'string', pattern: '^[A-Z]{2,6}$' } as const;
    const env = { schemas: ir.schemas, view: 'request' as const };
    const made = { text: 'QXTW', shape: 'classes' as const };
    const renamed = ['a', 'run-1', 'run-2', 'x9'].map((salt) => renamedText(made, salt));
    for (const text of renamed) {
      expect(conforms(key, text, env)).toBe(true);
      expect(text).not.toBe('QXTW');
    }
    expect(new Set(renamed).size).toBe(renamed.length);
    const uuid = renamedText({ text: '123e4567-e89b-42d3-a456-426614174000', shape: 'uuid' }, 'run');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

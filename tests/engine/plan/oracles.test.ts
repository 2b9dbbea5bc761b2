/**
 * The planner's newer cases on the pet store and the notes spec: content-derived ids, the classification of
 * path parameters, inputs per depth, undeclared methods, filters, idempotent PUTs and read-after-write.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { combinationsPerOperation } from '../../../cli/engine/data/depth.ts';
import type { ApiIr, IrOperation, JsonSchema } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { namesResource } from '../../../cli/engine/plan/path-param-kind.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import type { TestCase, TestStep } from '../../../cli/engine/plan/types.ts';

let petstore: ApiIr;
let notes: ApiIr;

beforeAll(async () => {
  petstore = (await prepareSpec('tests/fixtures/specs/sut/petstore.yaml')).ir;
  notes = (await prepareSpec('tests/sut/notes/openapi.yaml')).ir;
});

function last(c: TestCase): TestStep {
  return c.steps[c.steps.length - 1] as TestStep;
}

function withMaximum(ir: ApiIr, operationId: string, param: string, maximum: number): ApiIr {
  const copy = structuredClone(ir);
  const op = copy.operations.find((o) => o.id === operationId) as IrOperation;
  const target = op.parameters.find((p) => p.name === param);
  if (!target || typeof target.schema !== 'object') throw new Error('no such parameter');
  target.schema = { ...target.schema, maximum };
  return copy;
}

describe('case ids', () => {
  it('say what a case tests, and a change to one input renames no other case', () => {
    const before = planTests(petstore, { seed: 1 });
    const ids = before.cases.map((c) => c.id);
    expect(ids).toContain('listPets_contract_typical');
    expect(ids).toContain('createPet_negative_body_missing');
    expect(ids).toContain('listPets_auth_no_credentials');
    for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    // A tighter maximum on listPets' `limit` only touches cases about `limit`.
    const after = planTests(withMaximum(petstore, 'listPets', 'limit', 50), { seed: 1 });
    const changed = (plan: typeof before) =>
      new Map(plan.cases.map((c) => [c.id, JSON.stringify(c)] as const));
    const a = changed(before);
    const b = changed(after);
    const renamedOrChanged = [...a.keys()].filter((id) => a.get(id) !== b.get(id));
    expect(renamedOrChanged.length).toBeGreaterThan(0);
    for (const id of renamedOrChanged) expect(id).toMatch(/^listPets_/);
  });
});

describe('path parameters', () => {
  it('tell resources (created, id-like, under a collection) from plain values', () => {
    const getPet = petstore.operations.find((o) => o.id === 'getPet') as IrOperation;
    const petId = getPet.parameters.find((p) => p.name === 'petId')!;
    expect(namesResource(petstore, getPet, petId, { hasProducer: false })).toBe(true);
    const value = {
      ...petId,
      name: 'n',
      description: 'How many numbers of the series to give',
      schema: { type: 'integer' } as JsonSchema,
    };
    const series = { ...getPet, path: '/fibonacci/{n}', parameters: [value] };
    expect(namesResource({ ...petstore, operations: [series] }, series, value, { hasProducer: false })).toBe(
      false,
    );
    expect(namesResource({ ...petstore, operations: [series] }, series, value, { hasProducer: true })).toBe(
      true,
    );
  });
});

describe('inputs per depth', () => {
  it('quick plans one contract case per operation; standard adds valid combinations of input classes', () => {
    const contract = (depth: 'quick' | 'standard') =>
      planTests(petstore, { seed: 1, depth, categories: ['contract'] }).cases;
    const quick = contract('quick');
    const standard = contract('standard');
    expect(quick.length).toBe(new Set(quick.map((c) => c.operationId)).size);
    expect(standard.length).toBeGreaterThan(quick.length * 5);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile({
      $ref: '#/components/schemas/NewPet',
      components: { schemas: petstore.schemas },
    });
    for (const c of standard.filter((x) => x.operationId === 'createPet')) {
      expect(validate(last(c).body?.value), `${c.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(last(c).expect.check).toBe('positive_data_acceptance');
    }
    const limits = standard
      .filter((c) => c.operationId === 'listPets')
      .flatMap((c) =>
        last(c)
          .query.filter(([name]) => name === 'limit')
          .map(([, value]) => value),
      );
    expect(limits).toEqual(expect.arrayContaining(['1', '100']));
  });

  it('gives a spec with many operations fewer inputs per operation, never fewer than four', () => {
    expect(combinationsPerOperation('quick', 10)).toBe(1);
    expect(combinationsPerOperation('standard', 10)).toBe(48);
    expect(combinationsPerOperation('standard', 1_223)).toBe(48);
    expect(combinationsPerOperation('standard', 22_361)).toBe(4);
    expect(combinationsPerOperation('deep', 1_223)).toBe(204);
  });

  it('is deterministic, and deep goes further than standard', () => {
    const a = JSON.stringify(planTests(notes, { seed: 4, depth: 'standard' }));
    expect(JSON.stringify(planTests(notes, { seed: 4, depth: 'standard' }))).toBe(a);
    const count = (depth: 'standard' | 'deep') =>
      planTests(notes, { seed: 4, depth, categories: ['contract'] }).cases.length;
    expect(count('deep')).toBeGreaterThan(count('standard'));
  });
});

describe('oracle cases', () => {
  it('send one undeclared method per path, expecting a refusal (unsupported_method)', () => {
    const plan = planTests(petstore, { seed: 1, categories: ['negative'] });
    const unsupported = plan.cases.filter((c) => last(c).expect.check === 'unsupported_method');
    expect(unsupported.map((c) => `${last(c).method} ${c.operationId}`).sort()).toEqual([
      'PATCH createOwner',
      'PATCH getHealth',
      'PATCH getPet',
      'PATCH listPets',
    ]);
    const item = unsupported.find((c) => c.operationId === 'getPet')!;
    // The pet exists (created first), so only the method can be the reason for a refusal.
    expect(item.steps.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    expect(last(item).expect).toEqual({
      status: ['4XX', '501'],
      check: 'unsupported_method',
      validateBody: false,
    });
  });

  it('filter a list by an enum property after creating an item with another value (filter_consistency)', () => {
    const plan = planTests(petstore, { seed: 1, categories: ['stateful'] });
    const filters = plan.cases.filter((c) => last(c).expect.itemsMatch);
    expect(filters.map((c) => c.id)).toEqual([
      'listPets_stateful_filter_status_available',
      'listPets_stateful_filter_status_pending',
      'listPets_stateful_filter_status_sold',
    ]);
    // A filter judges the items the server holds: never planned with the stateless categories.
    const stateless = planTests(petstore, { seed: 1, categories: ['contract', 'negative', 'boundary'] });
    expect(stateless.cases.filter((c) => last(c).expect.itemsMatch)).toEqual([]);
    for (const c of filters) {
      const { itemsMatch } = last(c).expect;
      const created = c.steps[0]?.body?.value as Record<string, unknown>;
      expect(c.steps[0]?.operationId).toBe('createPet');
      expect(created.status).not.toBe(itemsMatch?.equals);
      expect(last(c).query).toContainEqual(['status', String(itemsMatch?.equals)]);
      expect(itemsMatch).toMatchObject({ pointer: '/items', property: 'status' });
    }
  });

  it('repeat a PUT and compare the reads, ignoring what changes on every write (idempotence)', () => {
    const plan = planTests(petstore, { seed: 1, categories: ['stateful'] });
    const flow = plan.cases.find((c) => c.id === 'createPet_stateful_idempotent_put')!;
    expect(flow.steps.map((s) => `${s.method} ${s.operationId}`)).toEqual([
      'POST createPet',
      'PUT updatePet',
      'GET getPet',
      'PUT updatePet',
      'GET getPet',
    ]);
    expect(flow.steps[2]?.snapshot).toBe('after_first_put');
    expect(flow.steps[1]?.body).toEqual(flow.steps[3]?.body);
    expect(last(flow).expect.sameAs).toEqual({
      snapshot: 'after_first_put',
      ignore: ['/id', '/createdAt'],
    });
  });

  it('leaves out what changes on every write in nested objects too (/meta/updated_at, not /meta/name)', () => {
    const copy = structuredClone(petstore);
    const pet = copy.schemas.Pet as { properties: Record<string, JsonSchema> };
    pet.properties.meta = {
      type: 'object',
      properties: {
        updated_at: { type: 'string' },
        owner: { type: 'object', properties: { revision: { type: 'integer' }, name: { type: 'string' } } },
        audit: { type: 'object', readOnly: true, properties: { by: { type: 'string' } } },
      },
    };
    const plan = planTests(copy, { seed: 1, categories: ['stateful'] });
    const flow = plan.cases.find((c) => c.id === 'createPet_stateful_idempotent_put')!;
    expect(last(flow).expect.sameAs?.ignore).toEqual([
      '/id',
      '/createdAt',
      '/meta/updated_at',
      '/meta/owner/revision',
      '/meta/audit',
    ]);
  });

  it('read back every property a write sent, with its format (read_after_write)', () => {
    const plan = planTests(petstore, { seed: 1, categories: ['stateful'] });
    const lifecycle = plan.cases.find((c) => c.id === 'createPet_stateful_lifecycle')!;
    const sent = lifecycle.steps[0]?.body?.value as Record<string, unknown>;
    const read = lifecycle.steps[1]?.expect.bodyEquals ?? [];
    expect(read.map((check) => check.pointer).sort()).toEqual(
      Object.keys(sent)
        .map((name) => `/${name}`)
        .sort(),
    );
    expect(read).toContainEqual({ pointer: '/tags', equals: sent.tags });
  });

  it('leave the statuses a spec never declares to a warning, and keep them strict where it declares one', () => {
    const plan = planTests(notes, { seed: 1, categories: ['negative'] });
    const rejecting = plan.cases.filter((c) => last(c).expect.check === 'negative_data_rejection');
    expect(rejecting.length).toBeGreaterThan(0);
    for (const c of rejecting) expect(last(c).expect.lenientStatuses).toEqual(['4XX']);
    const strict = planTests(petstore, { seed: 1, operations: ['createPet'], categories: ['negative'] });
    for (const c of strict.cases.filter((x) => last(x).expect.check === 'negative_data_rejection'))
      expect(last(c).expect.lenientStatuses).toBeUndefined();
  });
});

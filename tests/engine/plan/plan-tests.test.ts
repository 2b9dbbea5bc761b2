import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiIr, JsonSchema } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import type { TestCase, TestStep } from '../../../cli/engine/plan/types.ts';

const PETSTORE = 'tests/fixtures/specs/sut/petstore.yaml';
let ir: ApiIr;

beforeAll(async () => {
  ir = (await prepareSpec(PETSTORE)).ir;
});

function lastStep(c: TestCase): TestStep {
  const step = c.steps[c.steps.length - 1];
  if (!step) throw new Error(`case ${c.id} has no steps`);
  return step;
}

function requestValidator(operationId: string) {
  const op = ir.operations.find((o) => o.id === operationId);
  const schema = op?.requestBody?.contents[0]?.schema as JsonSchema;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile({ ...(schema as object), components: { schemas: ir.schemas } });
}

describe('planTests on the pet store', () => {
  it('plans every category', () => {
    const plan = planTests(ir, { seed: 1 });
    const categories = new Set(plan.cases.map((c) => c.category));
    expect([...categories].sort()).toEqual(['auth', 'boundary', 'contract', 'negative', 'stateful']);
    expect(plan.operations.map((o) => o.id)).toEqual(ir.operations.map((o) => o.id));
  });

  it('gives every case a unique identifier-safe id', () => {
    const plan = planTests(ir, { seed: 1 });
    const ids = plan.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = JSON.stringify(planTests(ir, { seed: 7 }));
    expect(JSON.stringify(planTests(ir, { seed: 7 }))).toBe(a);
    expect(JSON.stringify(planTests(ir, { seed: 8 }))).not.toBe(a);
  });

  it('sends bodies valid against the request schema in contract and boundary cases, invalid in negative ones', () => {
    const plan = planTests(ir, { seed: 3 });
    const validators = new Map<string, ReturnType<typeof requestValidator>>();
    let checked = 0;
    for (const c of plan.cases) {
      const step = lastStep(c);
      if (step.body?.kind !== 'json' || c.category === 'stateful' || c.category === 'auth') continue;
      const validate = validators.get(step.operationId) ?? requestValidator(step.operationId);
      validators.set(step.operationId, validate);
      const valid = validate(step.body.value);
      const isBodyViolation = c.category === 'negative' && c.title.includes('body with');
      if (c.category === 'contract' || c.category === 'boundary') expect(valid, c.title).toBe(true);
      if (isBodyViolation) expect(valid, c.title).toBe(false);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('creates the resource a path parameter names before using it', () => {
    const plan = planTests(ir, { seed: 1, categories: ['contract'] });
    const getPet = plan.cases.find((c) => c.operationId === 'getPet');
    expect(getPet?.steps.map((s) => s.operationId)).toEqual(['createPet', 'getPet']);
    expect(getPet?.steps[0]?.capture).toEqual({ petId: '/id' });
    expect(getPet?.steps[1]?.path).toEqual(['/pets/', { $var: 'petId' }]);
    expect(getPet?.steps[1]?.expect.status).toEqual(['200']);
  });

  it('builds the create → read → update → read → delete → read flow from links', () => {
    const plan = planTests(ir, { seed: 1, categories: ['stateful'] });
    // The filter cases (filter_consistency) are stateful too; the flows are the rest.
    expect(plan.cases.filter((c) => !c.id.includes('_filter_')).map((c) => c.id)).toEqual([
      'createPet_stateful_lifecycle',
      'createPet_stateful_idempotent_put',
    ]);
    const flow = plan.cases.find((c) => c.id === 'createPet_stateful_lifecycle')!;
    expect(flow.steps.map((s) => `${s.method} ${s.operationId}`)).toEqual([
      'POST createPet',
      'GET getPet',
      'PUT updatePet',
      'GET getPet',
      'DELETE deletePet',
      'GET getPet',
    ]);
    expect(flow.steps[5]?.expect.status).toEqual(['404', '410']);
    const update = flow.steps[2]?.body?.value as Record<string, unknown>;
    const readBack = flow.steps[3]?.expect.bodyEquals ?? [];
    expect(readBack).toContainEqual({ pointer: '/name', equals: update.name });
  });

  it('plans auth cases only for secured operations, with the right scheme', () => {
    const plan = planTests(ir, { seed: 1, categories: ['auth'] });
    const ops = new Set(plan.cases.map((c) => c.operationId));
    expect(ops.has('getHealth')).toBe(false);
    const owner = plan.cases.filter((c) => c.operationId === 'createOwner');
    expect(owner.map((c) => lastStep(c).auth)).toEqual([
      { mode: 'none', schemes: ['apiKeyAuth'] },
      { mode: 'invalid', schemes: ['apiKeyAuth'] },
    ]);
    for (const c of plan.cases) expect(lastStep(c).expect.status).toEqual(['401', '403']);
  });

  it('filters by tags, operations and categories', () => {
    expect(new Set(planTests(ir, { tags: ['owners'] }).cases.map((c) => c.operationId))).toEqual(
      new Set(['createOwner']),
    );
    const onlyList = planTests(ir, { operations: ['listPets'], categories: ['negative'] });
    expect(new Set(onlyList.cases.map((c) => `${c.operationId}:${c.category}`))).toEqual(
      new Set(['listPets:negative']),
    );
  });

  it('keeps one negative case of every violation kind under the per-operation limit', () => {
    const plan = planTests(ir, { seed: 1, operations: ['createPet'], categories: ['negative'] });
    const titles = plan.cases.map((c) => c.title).join('\n');
    for (const fragment of ['missing required', 'not matching pattern', 'additional property', 'maxLength']) {
      expect(titles).toContain(fragment);
    }
  });

  it('plans sample data for every object schema', () => {
    const plan = planTests(ir, { seed: 1 });
    expect(plan.sampleData.map((d) => d.schema)).toEqual(['Error', 'NewOwner', 'NewPet', 'Owner', 'Pet']);
    for (const entry of plan.sampleData) expect(entry.rows).toHaveLength(3);
  });

  it('plans no sample data when asked for 0 rows', () => {
    expect(planTests(ir, { seed: 1, sampleRows: 0 }).sampleData).toEqual([]);
  });
});

describe('sample data', () => {
  it('reuses the row of a referenced schema for a nested $ref, and every row is valid', async () => {
    const circular = (await prepareSpec('tests/fixtures/specs/features/circular-refs.yaml')).ir;
    const plan = planTests(circular, { seed: 3 });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    let nested = 0;
    for (const { schema, rows } of plan.sampleData) {
      const validate = ajv.compile({
        $ref: `#/components/schemas/${schema}`,
        components: { schemas: circular.schemas },
      });
      for (const row of rows) expect(validate(row), JSON.stringify(validate.errors)).toBe(true);
    }
    const rowsOf = (name: string) => plan.sampleData.find((d) => d.schema === name)?.rows ?? [];
    // Node.parent is a bare $ref to Parent: row i of Node holds row i of Parent (when the optional
    // property is there), as a foreign key would.
    for (const [i, node] of rowsOf('Node').entries()) {
      if (node.parent === undefined || node.parent === null) continue;
      expect(node.parent).toBe(rowsOf('Parent')[i]);
      nested++;
    }
    expect(nested).toBeGreaterThan(0);
  });
});

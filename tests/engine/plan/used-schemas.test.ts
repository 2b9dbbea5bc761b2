/**
 * The plan carries only the named schemas its operations use (directly or through other schemas), and
 * sample data only for those: an API's unused definitions (webhook payloads, leftovers) cost neither
 * planning time nor output, and a suite filtered by tag holds only the schemas of its operations.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiIr } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import { usedSchemaNames } from '../../../cli/engine/plan/used-schemas.ts';

const SPEC = join(import.meta.dirname, '../../fixtures/specs/schemas/unused-schemas.yaml');

let ir: ApiIr;

beforeAll(async () => {
  ir = (await prepareSpec(SPEC)).ir;
});

describe('schemas the operations use', () => {
  it('follows parameters, bodies, responses, headers and references between schemas, in IR order', () => {
    expect(Object.keys(ir.schemas)).toContain('OrderShippedEvent');
    expect(usedSchemaNames(ir, ir.operations)).toEqual([
      'Channel',
      'Trace',
      'NewOrder',
      'Line',
      'Order',
      'Customer',
    ]);
  });

  it('is empty for no operations', () => {
    expect(usedSchemaNames(ir, [])).toEqual([]);
  });

  it('the plan holds those schemas and sample rows for their object schemas only', () => {
    const plan = planTests(ir, { seed: 1 });
    expect(Object.keys(plan.schemas).sort()).toEqual(
      ['Channel', 'Customer', 'Line', 'NewOrder', 'Order', 'Trace'].sort(),
    );
    expect(plan.sampleData.map((s) => s.schema)).toEqual(['Customer', 'Line', 'NewOrder', 'Order']);
  });

  it('a tag filter keeps the schemas of the selected operations only', () => {
    const plan = planTests(ir, { seed: 1, tags: ['customers'] });
    expect(Object.keys(plan.schemas)).toEqual(['Customer']);
    expect(plan.sampleData.map((s) => s.schema)).toEqual(['Customer']);
  });

  it('rows of a schema do not depend on which other schemas are planned', () => {
    const all = planTests(ir, { seed: 7 }).sampleData.find((s) => s.schema === 'Customer');
    const filtered = planTests(ir, { seed: 7, tags: ['customers'] }).sampleData.find(
      (s) => s.schema === 'Customer',
    );
    expect(filtered).toEqual(all);
  });
});

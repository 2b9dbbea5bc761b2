/**
 * Ids below a body's top level (tests/fixtures/specs/features/nested-references.yaml): the product each line of
 * an order names is one a setup step creates, and the order must then be placed; a body whose lines name
 * made-up products (an input class of the whole array) may meet the declared 4xx; a reference nothing creates
 * (a coupon) is left out where every request must succeed.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiIr } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import {
  fewestItems,
  holdsMadeUpReference,
  mapSlot,
  rebind,
  unbind,
} from '../../../cli/engine/plan/reference-slots.ts';
import type { TestCase, TestPlan, TestStep } from '../../../cli/engine/plan/types.ts';

const SPEC = join(import.meta.dirname, '../../fixtures/specs/features/nested-references.yaml');

let ir: ApiIr;
let quick: TestPlan;
let standard: TestPlan;

beforeAll(async () => {
  ir = (await prepareSpec(SPEC)).ir;
  quick = planTests(ir, { seed: 1 });
  standard = planTests(ir, { seed: 1, depth: 'standard' });
});

type Order = { items?: Array<{ productId?: unknown }>; promotion?: { couponId?: unknown } };
const bodyOf = (step: TestStep | undefined) => step?.body?.value as Order | undefined;
const cases = (plan: TestPlan, operationId: string, category = 'contract'): TestCase[] =>
  plan.cases.filter((c) => c.operationId === operationId && c.category === category);

describe('an id in the lines of an order', () => {
  it('is the id of a product a setup step creates, in one line, and the order must then be placed', () => {
    const [typical] = cases(quick, 'createOrder');
    expect(typical?.steps.map((s) => s.operationId)).toEqual(['createProduct', 'createOrder']);
    const variable = Object.keys(typical?.steps[0]?.capture ?? {})[0] as string;
    expect(typical?.steps[0]?.capture).toEqual({ [variable]: '/id' });
    // One line: two lines naming the same product could be refused as a duplicate.
    expect(bodyOf(typical?.steps[1])?.items).toEqual([
      { productId: { $var: variable }, quantity: expect.any(Number) },
    ]);
    expect(typical?.steps[1]?.expect.status).toEqual(['201']);
  });

  it('keeps the created product in a negative case that breaks another property', () => {
    const negatives = cases(quick, 'createOrder', 'negative').filter((c) =>
      c.title.includes('customerEmail'),
    );
    expect(negatives.length).toBeGreaterThan(0);
    for (const c of negatives) {
      expect(c.steps[0]?.operationId, c.title).toBe('createProduct');
      expect(bodyOf(c.steps.at(-1))?.items?.[0]?.productId, c.title).toEqual({ $var: 'productId' });
    }
  });

  it('made up by an input class of the lines lets the order meet the declared 4xx; the rest stay strict', () => {
    const contract = cases(standard, 'createOrder');
    const madeUp = contract.filter((c) =>
      bodyOf(c.steps.at(-1))?.items?.some((line) => typeof line.productId === 'number'),
    );
    const created = contract.filter(
      (c) =>
        bodyOf(c.steps.at(-1))?.items?.every((line) => typeof line.productId !== 'number') &&
        bodyOf(c.steps.at(-1))?.promotion?.couponId === undefined,
    );
    expect(madeUp.length).toBeGreaterThan(0);
    expect(created.length).toBeGreaterThan(1);
    for (const c of madeUp) expect(c.steps.at(-1)?.expect.status, c.title).toEqual(['201', '400', '422']);
    for (const c of created) expect(c.steps.at(-1)?.expect.status, c.title).toEqual(['201']);
  });

  it('that names a resource nothing creates lets a request that sends it meet the declared 4xx', () => {
    const coupon = cases(standard, 'createOrder').filter(
      (c) => bodyOf(c.steps.at(-1))?.promotion?.couponId !== undefined,
    );
    expect(coupon.length).toBeGreaterThan(0);
    for (const c of coupon) expect(c.steps.at(-1)?.expect.status, c.title).toContain('422');
  });

  it('is bound in the order a lifecycle creates, and a coupon nothing creates is left out there', () => {
    const [lifecycle] = cases(quick, 'createOrder', 'stateful');
    const create = lifecycle?.steps.find((s) => s.operationId === 'createOrder');
    expect(bodyOf(create)?.items?.[0]?.productId).toEqual({ $var: expect.any(String) });
    expect(bodyOf(create)?.promotion?.couponId).toBeUndefined();
  });
});

describe('reference slots', () => {
  const slot = { path: ['items', '*', 'productId'], required: true, minItems: [0] };
  const sample = { email: 'a@b.c', items: [{ productId: 7, quantity: 1 }] };
  const bound = { email: 'a@b.c', items: [{ productId: { $var: 'p' }, quantity: 1 }] };

  it('replace a value in every item, copying only what changes', () => {
    const made = mapSlot(sample, slot.path, () => 9) as typeof sample;
    expect(made).toEqual({ email: 'a@b.c', items: [{ productId: 9, quantity: 1 }] });
    expect(sample.items[0]?.productId).toBe(7);
    expect(mapSlot(sample, slot.path, (found) => found)).toBe(sample);
    expect(mapSlot({ items: [{}] }, slot.path, () => 9)).toEqual({ items: [{}] });
  });

  it('cut an array to the fewest items its schema allows, one at least', () => {
    const two = { items: [{ productId: 1 }, { productId: 2 }, { productId: 3 }] };
    expect(fewestItems(two, slot)).toEqual({ items: [{ productId: 1 }] });
    expect(fewestItems(two, { ...slot, minItems: [2] })).toEqual({
      items: [{ productId: 1 }, { productId: 2 }],
    });
  });

  it('tell a made-up id from a captured one', () => {
    expect(holdsMadeUpReference(sample, [slot])).toBe(true);
    expect(holdsMadeUpReference(bound, [slot])).toBe(false);
    expect(holdsMadeUpReference({ items: [] }, [slot])).toBe(false);
  });

  it('put captured ids back where a body still holds the made-up ones, and take them out again', () => {
    const changed = { ...sample, email: 'x@y.z' };
    expect(rebind(changed, sample, bound)).toEqual({ ...bound, email: 'x@y.z' });
    const other = { ...sample, items: [{ productId: 8, quantity: 1 }] };
    expect(rebind(other, sample, bound)).toEqual(other);
    expect(unbind(bound, sample)).toEqual(sample);
  });
});

/**
 * Planning shared between two threads (plan/plan-tests.ts `PlanShare`; the render helper thread is the other
 * one, render/render-helper.ts) gives the plan one thread gives: here the "other thread" is a second IR built
 * from the same file, as the helper builds its own, which claims every other chunk and sends its parts
 * through a structured clone, as a message would. A thread that sends nothing, or parts of another spec, costs
 * only time: this thread plans what is missing. (The helper thread itself is tested through the built CLI:
 * tests/e2e/render-helper.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import {
  type OperationPart,
  type PlanOptions,
  type PlanShare,
  planOperations,
  planTests,
  planTestsInSlices,
  sampleDataOf,
  selectOperations,
  startPlanning,
} from '../../../cli/engine/plan/plan-tests.ts';

const SPECS = [
  'tests/fixtures/specs/sut/petstore.yaml',
  'tests/fixtures/specs/features/swagger-2.0.yaml',
  'tests/fixtures/specs/features/operation-without-responses.yaml',
  'tests/fixtures/specs/features/links.yaml',
  'tests/fixtures/specs/real/twilio-proxy-v1.json',
  'tests/fixtures/specs/real/azure-iot-dps.json',
];

interface OtherThread {
  /** Whether it sends the parts it planned; one that does not stands for a thread that failed. */
  sends?: boolean;
  /** The spec it loads, when not the same as this thread's. */
  spec?: string;
}

/**
 * A share with another planning of `spec` that claims a chunk each time this thread does (so the chunks
 * alternate, this thread first) and plans it at once.
 */
async function sharedWith(
  spec: string,
  options: PlanOptions,
  chunk: number,
  other: OtherThread = {},
): Promise<PlanShare & { theirs: number[] }> {
  const { ir } = await prepareSpec(other.spec ?? spec);
  const run = startPlanning(ir, options);
  let next = 0;
  const theirs: number[] = [];
  const count = (await prepareSpec(spec)).ir.operations.length;
  const parts = new Map<number, OperationPart>();
  const claimThere = (): void => {
    const first = next++ * chunk;
    if (first >= Math.min(count, run.operations.length)) return;
    const indices = Array.from(
      { length: Math.min(chunk, run.operations.length - first) },
      (_, i) => first + i,
    );
    for (const _ of planOperations(run, indices));
    theirs.push(first);
    if (other.sends !== false)
      for (const index of indices) parts.set(index, structuredClone(run.parts[index] as OperationPart));
  };
  return {
    chunk,
    theirs,
    claim: () => {
      const first = next++ * chunk;
      if (first >= count) return undefined;
      claimThere();
      return first;
    },
    collect: async () => parts,
    sampleData: async () =>
      other.sends === false
        ? undefined
        : structuredClone({
            operations: run.operations.map((op) => op.id),
            sampleData: sampleDataOf(run, run.operations),
          }),
    planned: () => ({ parts: parts.size }),
  };
}

describe('planning shared with another thread', () => {
  test.each(SPECS)('%s: the plan of one thread, whichever thread planned which chunk', async (spec) => {
    const { ir } = await prepareSpec(spec);
    const options: PlanOptions = { seed: 11, depth: 'standard' };
    const alone = planTests(ir, options);
    const share = await sharedWith(spec, options, 1);
    const shared = await planTestsInSlices(ir, options, { share });
    // Every other operation.
    expect(share.theirs).toHaveLength(Math.floor(ir.operations.length / 2));
    expect(shared).toStrictEqual(alone);
  });

  test('chunks of several operations, at every depth, with the diagnostics in operation order', async () => {
    const spec = 'tests/fixtures/specs/real/azure-iot-dps.json';
    const { ir } = await prepareSpec(spec);
    for (const depth of ['quick', 'standard', 'deep'] as const) {
      const options: PlanOptions = { seed: 3, depth };
      const share = await sharedWith(spec, options, 3);
      const shared = await planTestsInSlices(ir, options, { share });
      expect(share.theirs.length).toBeGreaterThan(1);
      expect(shared).toStrictEqual(planTests(ir, options));
    }
  });

  test('a thread that sends nothing, or parts of another spec, leaves this one to plan them', async () => {
    const spec = 'tests/fixtures/specs/real/twilio-proxy-v1.json';
    const { ir } = await prepareSpec(spec);
    const options: PlanOptions = { seed: 5 };
    const alone = planTests(ir, options);
    const silent = await sharedWith(spec, options, 2, { sends: false });
    expect(await planTestsInSlices(ir, options, { share: silent })).toStrictEqual(alone);
    expect(silent.theirs.length).toBeGreaterThan(0);
    const stranger = await sharedWith(spec, options, 2, {
      spec: 'tests/fixtures/specs/real/azure-iot-dps.json',
    });
    expect(await planTestsInSlices(ir, options, { share: stranger })).toStrictEqual(alone);
  });

  test('sample data worked out for the selected operations is not used when cases call others', async () => {
    const spec = 'tests/fixtures/specs/sut/petstore.yaml';
    const { ir } = await prepareSpec(spec);
    // getPet is set up by createPet, which is not selected: the plan's schemas are those of both.
    const selected = selectOperations(ir, { operations: ['getPet'] });
    const options: PlanOptions = { seed: 2, selected };
    const alone = planTests(ir, options);
    expect(alone.operations.map((op) => op.id).length).toBeGreaterThan(1);
    const share = await sharedWith(spec, { seed: 2, operations: ['getPet'] }, 1);
    expect(await planTestsInSlices(ir, options, { share })).toStrictEqual(alone);
    // With every operation selected it is the plan's own.
    const all = await sharedWith(spec, { seed: 2 }, 1);
    const shared = await all.sampleData();
    expect(shared?.sampleData.length).toBeGreaterThan(0);
    expect(shared?.sampleData).toStrictEqual(planTests(ir, { seed: 2 }).sampleData);
  });
});

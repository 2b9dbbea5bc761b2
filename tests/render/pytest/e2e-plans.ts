/**
 * The plans the run-for-real tests use: the hand-made pet store plan (always) and the planner's plan for
 * tests/fixtures/specs/sut/petstore.yaml (once the spec loader, IR builder and planner are in the repo).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';

const REPO = join(import.meta.dirname, '../../..');

/** True when the planner pipeline can run here. */
export const PLANNER_AVAILABLE = [
  'cli/engine/ir/build-ir.ts',
  'cli/engine/spec/load-spec.ts',
  'cli/engine/pipeline.ts',
].every((path) => existsSync(join(REPO, path)));

async function plannerPlan(): Promise<TestPlan> {
  // Imported by path at run time so this file compiles whether or not the planner exists yet.
  const pipeline = (await import(join(REPO, 'cli/engine/pipeline.ts'))) as {
    prepareSpec(source: string): Promise<{ ir: unknown }>;
  };
  const planner = (await import(join(REPO, 'cli/engine/plan/plan-tests.ts'))) as {
    planTests(ir: unknown, options: { seed: number }): TestPlan;
  };
  const { ir } = await pipeline.prepareSpec(join(REPO, 'tests/fixtures/specs/sut/petstore.yaml'));
  return planner.planTests(ir, { seed: 1 });
}

/** A plan source for the run-for-real tests. */
export interface PlanSource {
  name: string;
  available: boolean;
  /** Run against every seeded fault too (the planner's plan; the hand-made one only as a fallback). */
  faults: boolean;
  load: () => Promise<TestPlan>;
}

/** Hand-made plan first, then the planner's. */
export const PLAN_SOURCES: PlanSource[] = [
  {
    name: 'hand-made plan',
    available: true,
    faults: !PLANNER_AVAILABLE,
    load: async () => OTHER_PETSTORE_PLAN,
  },
  { name: 'planner plan', available: PLANNER_AVAILABLE, faults: true, load: plannerPlan },
];

/** Credentials the pet store SUT accepts by default. */
export const SUT_CREDENTIALS = { BEARER_AUTH: 'test-token', API_KEY_AUTH: 'test-api-key' };

/** Runs `task` over `items` with at most `limit` at a time (the machine has 2 shared cores). */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

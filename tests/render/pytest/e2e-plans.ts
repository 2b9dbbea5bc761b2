/** The planner's plan for the pet store reference server, made as `specmint generate` makes it. */
import { join } from 'node:path';
import { generateInMemory } from '../../../cli/engine/library.ts';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';

const SPEC = join(import.meta.dirname, '../../fixtures/specs/sut/petstore.yaml');

/** The plan for tests/fixtures/specs/sut/petstore.yaml, seed 1, every category. */
export async function plannerPlan(): Promise<TestPlan> {
  return (await generateInMemory(SPEC, { formats: ['json'] })).result.plan;
}

/** Credentials the pet store SUT accepts by default. */
export const SUT_CREDENTIALS = { BEARER_AUTH: 'test-token', API_KEY_AUTH: 'test-api-key' };

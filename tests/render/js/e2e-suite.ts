/**
 * The run-for-real test shared by tests/e2e/{vitest,jest,playwright}-suite.test.ts: render the pet store
 * plan, run the generated suite with its own runner against the SUT (all must pass), then against every
 * seeded fault (at least one must fail).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { PETSTORE_PLAN } from '../../fixtures/plans/petstore-plan.ts';
import { type RunningSut, SUT_FAULTS, type SutFault, startSut } from '../../sut/petstore-server.ts';
import { mapLimit, REPO, runSuite, type SuiteReport, writeSuite } from './suite-runner.ts';

const CREDENTIALS = { BEARER_AUTH: 'test-token', API_KEY_AUTH: 'test-api-key' };
const SPEC = join(REPO, 'tests/fixtures/specs/sut/petstore.yaml');

/** True once the lead's spec loader, IR builder and planner are all in the repo. */
export const PLANNER_AVAILABLE = ['cli/engine/ir/build-ir.ts', 'cli/engine/spec/load-spec.ts'].every((path) =>
  existsSync(join(REPO, path)),
);

/** The planner's plan for the pet store spec (only when {@link PLANNER_AVAILABLE}). */
export async function plannerPlan(): Promise<TestPlan> {
  // Imported by path at run time so this file compiles before the planner exists.
  const pipelinePath = join(REPO, 'cli/engine/pipeline.ts');
  const planPath = join(REPO, 'cli/engine/plan/plan-tests.ts');
  const pipeline = (await import(pipelinePath)) as {
    prepareSpec(source: string): Promise<{ ir: unknown }>;
  };
  const planner = (await import(planPath)) as { planTests(ir: unknown, options: { seed: number }): TestPlan };
  const { ir } = await pipeline.prepareSpec(SPEC);
  return planner.planTests(ir, { seed: 1 });
}

function describeReport(report: SuiteReport): string {
  return `${report.failures.join('\n')}\n--- runner output (tail) ---\n${report.output.slice(-2500)}`;
}

/** Declares the run-for-real tests of one JS-family format. */
export function defineRunForReal(format: 'vitest' | 'jest' | 'playwright'): void {
  // The hand-made plan always runs against the conforming server; its fault runs are the fallback for
  // when the planner is not in the repo (they cost time, and the planner's plan is the product).
  const sources: Array<{ name: string; available: boolean; faults: boolean; load: () => Promise<TestPlan> }> =
    [
      {
        name: 'hand-made plan',
        available: true,
        faults: !PLANNER_AVAILABLE,
        load: async () => PETSTORE_PLAN,
      },
      { name: 'planner plan', available: PLANNER_AVAILABLE, faults: true, load: plannerPlan },
    ];
  for (const source of sources) {
    describe.skipIf(!source.available)(`${format} suite for the pet store (${source.name})`, () => {
      const slug = source.name.replace(/\W+/g, '-');
      let dir = '';
      let rendered: string[] = [];
      let sut: RunningSut | undefined;

      beforeAll(async () => {
        const suite = writeSuite({ format, plan: await source.load(), name: `e2e-${format}-${slug}` });
        dir = suite.dir;
        rendered = suite.result.renderedCaseIds;
      });
      afterAll(async () => {
        await sut?.close();
      });

      test('passes against the conforming server', async () => {
        sut = await startSut();
        const report = await runSuite({
          format,
          dir,
          env: { BASE_URL: sut.url, ...CREDENTIALS },
          runId: slug,
        });
        await sut.close();
        sut = undefined;
        expect(report.failed, describeReport(report)).toBe(0);
        expect(report.passed).toBe(rendered.length);
        expect(report.passed).toBeGreaterThan(0);
      }, 90_000);

      test.runIf(source.faults)(
        'fails against every seeded fault',
        async () => {
          const faults = Object.keys(SUT_FAULTS) as SutFault[];
          const reports = await mapLimit(faults, 2, async (fault) => {
            const server = await startSut({ fault });
            try {
              const env = { BASE_URL: server.url, ...CREDENTIALS };
              return await runSuite({ format, dir, env, runId: `${slug}-${fault}`, bail: true });
            } finally {
              await server.close();
            }
          });
          const uncaught = faults.filter((_, i) => reports[i]!.failed === 0);
          expect(uncaught, 'faults no generated test noticed').toEqual([]);
          // Idle, a run takes 2–4 s; the generous limit is for a machine shared with other test runs.
        },
        240_000,
      );
    });
  }
}

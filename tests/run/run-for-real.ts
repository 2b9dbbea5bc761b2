/**
 * The run-for-real conformance suite: every format whose module declares a runner (format.ts) is generated
 * for the pet store reference server (tests/sut) and run with its own tool, as a user would. Against the
 * correct server every test passes (no false alarm); against each seeded fault at least one test fails. A
 * runner that by design cannot see a fault is listed below with the reason, as Hono's shared router tests
 * list their skips. Each format has a test file of its own (`<format>.run-for-real.test.ts`, calling
 * {@link describeRunForReal}) so vitest spreads the formats over its workers; within a file the runs are
 * concurrent: each run is a child process, and the SUTs live in the test process.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateInMemory } from '../../cli/engine/library.ts';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import type { FormatModule, RunnerKind } from '../../cli/engine/render/format-module.ts';
import { RENDERERS } from '../../cli/engine/render/registry.ts';
import type { Format } from '../../shared/plans.ts';
import { OTHER_PETSTORE_PLAN } from '../fixtures/plans/other-odd-plan.ts';
import { PETSTORE_PLAN } from '../fixtures/plans/petstore-plan.ts';
import { startNotesServer } from '../sut/notes/server.ts';
import { SUT_FAULTS, type SutFault, startSut } from '../sut/petstore-server.ts';
import { RUNNERS, type RunReport } from './runners.ts';

const SPEC = join(import.meta.dirname, '../fixtures/specs/sut/petstore.yaml');
/** A spec that declares no error responses, and its correct server (which answers 422 to invalid input). */
const NOTES_SPEC = join(import.meta.dirname, '../sut/notes/openapi.yaml');
const CREDENTIALS = { BEARER_AUTH: 'test-token', API_KEY_AUTH: 'test-api-key' };
export const FAULTS = Object.keys(SUT_FAULTS) as SutFault[];
const planSettings = { formats: ['json' as const], depth: 'standard' as const };

/** Faults a runner cannot see by design, and why. */
export const BLIND_TO: Partial<Record<RunnerKind, Partial<Record<SutFault, string>>>> = {
  k6: {
    'ignore-body-constraints': 'a load test sends valid requests only (contract cases)',
    'ignore-query-constraints': 'a load test sends valid requests only (contract cases)',
    'no-auth': 'a load test sends valid credentials only',
    'delete-noop': 'a load test has no stateful flows',
    'update-noop': 'a load test has no stateful flows',
    'write-drops-property': 'a load test has no stateful flows (read_after_write reads back in a flow)',
    'put-not-idempotent': 'a load test has no stateful flows (idempotence repeats a PUT in a flow)',
    'filter-ignored': 'a load test has no stateful flows (filter_consistency creates an item, then lists)',
    'undeclared-method-ok': 'a load test sends the declared methods only (contract cases)',
  },
};

/** The plans every runner runs: two written by hand (odd constructs) and the planner's, as the CLI makes it. */
const PLANS: Array<{ name: string; load: () => Promise<TestPlan>; faults: boolean }> = [
  { name: 'hand-made JS plan', load: async () => PETSTORE_PLAN, faults: false },
  { name: 'hand-made plan', load: async () => OTHER_PETSTORE_PLAN, faults: false },
  // The planner's plan at `generate`'s default depth: what users run (made once per file, used by every run).
  {
    name: 'planner plan',
    load: once(async () => (await generateInMemory(SPEC, planSettings)).result.plan),
    faults: true,
  },
];

/** `load`, called at most once. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= load();
    return made;
  };
}

/** The formats whose module declares a runner: each has its `<format>.run-for-real.test.ts`. */
export const RUNNABLE = Object.values(RENDERERS).filter(
  (module): module is FormatModule & { runner: RunnerKind } => module.runner !== undefined,
);

function describeReport(report: RunReport): string {
  return `${report.failures.slice(0, 20).join('\n')}\n--- output (tail) ---\n${report.output}`;
}

async function runAgainst(
  module: FormatModule & { runner: RunnerKind },
  plan: TestPlan,
  options: { fault?: SutFault; runId: string; bail: boolean },
): Promise<{ report: RunReport; rendered: number }> {
  const { files, renderedCaseIds } = module.render(plan, { generatorVersion: '0.0.0-run' });
  const sut = await startSut(options.fault ? { fault: options.fault } : {});
  try {
    // A trailing slash on BASE_URL must be tolerated.
    const env = { BASE_URL: `${sut.url}/`, ...CREDENTIALS };
    const report = await RUNNERS[module.runner].run({ files, env, runId: options.runId, bail: options.bail });
    return { report, rendered: renderedCaseIds.length };
  } finally {
    await sut.close();
  }
}

/** The run-for-real tests of one format: the correct servers, every fault it can see, the notes server. */
export function describeRunForReal(format: Format): void {
  const module = RUNNABLE.find((candidate) => candidate.format === format);
  if (!module) throw new Error(`${format} declares no runner in its format.ts`);
  describeCorrectAndFaulty(module);
  describeSilentSpec(module);
}

function describeCorrectAndFaulty(module: FormatModule & { runner: RunnerKind }): void {
  describe.concurrent(`the ${module.format} suite, run for real`, () => {
    const runner = RUNNERS[module.runner];
    const skip = runner.skipReason();

    test.skipIf(Boolean(skip)).each(PLANS)(
      'passes against the correct server ($name)',
      async ({ name, load }) => {
        const slug = name.replace(/\W+/g, '-');
        const { report, rendered } = await runAgainst(module, await load(), {
          runId: `${slug}-ok`,
          bail: false,
        });
        expect(report.failed, describeReport(report)).toBe(0);
        expect(report.executed).toBeGreaterThan(0);
        if (runner.countsCases) expect(report.executed).toBeGreaterThanOrEqual(rendered);
      },
      300_000,
    );

    const blind = BLIND_TO[module.runner] ?? {};
    const visible = FAULTS.filter((fault) => !(fault in blind));
    test.skipIf(Boolean(skip)).each(visible)(
      'fails against the seeded fault %s',
      async (fault) => {
        const plan = await PLANS.find((p) => p.faults)!.load();
        const { report } = await runAgainst(module, plan, { fault, runId: `fault-${fault}`, bail: true });
        expect(report.failed, `no test noticed ${fault}: ${SUT_FAULTS[fault]}`).toBeGreaterThan(0);
      },
      300_000,
    );
  });
}

/** Runners whose suites send invalid input (k6 is a load test of valid requests only). */
const SENDS_INVALID_INPUT: readonly RunnerKind[] = ['vitest', 'jest', 'playwright', 'pytest', 'newman'];

function describeSilentSpec(module: FormatModule & { runner: RunnerKind }): void {
  describe.concurrent(`the ${module.format} suite for a spec that declares no errors`, () => {
    const runner = RUNNERS[module.runner];
    test.skipIf(Boolean(runner.skipReason()))(
      'passes against its correct server, and says the statuses it rejects with are not declared',
      async () => {
        const { result } = await generateInMemory(NOTES_SPEC, planSettings);
        const { files } = module.render(result.plan, { generatorVersion: '0.0.0-run' });
        const server = await startNotesServer();
        try {
          const report = await runner.run({
            files,
            env: { BASE_URL: server.url },
            runId: 'notes',
            bail: false,
          });
          expect(report.failed, describeReport(report)).toBe(0);
          expect(report.executed).toBeGreaterThan(0);
          if (SENDS_INVALID_INPUT.includes(module.runner)) {
            expect(report.output, 'the undeclared 422 shows as a warning').toMatch(/422/);
            expect(report.output).toMatch(/not declare/i);
          }
        } finally {
          await server.close();
        }
      },
      300_000,
    );
  });
}

/**
 * Runs the generated pytest suite for real against the pet store SUT: every test passes on the conforming
 * server, and at least one fails against each seeded fault. Skips (visibly) without python3 + pytest,
 * requests and jsonschema — except in CI, where that is an error.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { pytestRenderer } from '../../cli/engine/render/pytest/index.ts';
import type { RenderResult } from '../../cli/engine/render/types.ts';
import { mapLimit, PLAN_SOURCES, SUT_CREDENTIALS } from '../render/pytest/e2e-plans.ts';
import { findPythons, pythonSkipReason } from '../render/pytest/python-env.ts';
import { type PytestReport, runPytest } from '../render/pytest/run-pytest.ts';
import { TMP_ROOT, writeFiles } from '../render/pytest/write-files.ts';
import { type RunningSut, SUT_FAULTS, type SutFault, startSut } from '../sut/petstore-server.ts';

const pythons = findPythons();
const skip = pythonSkipReason(pythons);
const python = pythons[0]?.command ?? 'python3';

async function runAgainst(dir: string, fault: SutFault | undefined): Promise<PytestReport> {
  const sut: RunningSut = await startSut({ fault });
  try {
    // A trailing slash on BASE_URL must be tolerated.
    // Against a fault one failure is enough: stop there (the machine is small and shared).
    const extraArgs = fault ? ['--maxfail=1'] : [];
    return await runPytest({ python, dir, env: { BASE_URL: `${sut.url}/`, ...SUT_CREDENTIALS }, extraArgs });
  } finally {
    await sut.close();
  }
}

for (const source of PLAN_SOURCES) {
  describe.skipIf(Boolean(skip) || !source.available)(
    `pytest suite for the pet store (${source.name})`,
    () => {
      let dir = '';
      let result: RenderResult;

      beforeAll(async () => {
        result = pytestRenderer.render(await source.load(), { generatorVersion: '0.0.0-test' });
        dir = writeFiles(join(TMP_ROOT, `e2e-pytest-${source.name.replace(/\W+/g, '-')}`), result.files);
      });

      test('every test passes against the conforming server', async () => {
        const report = await runAgainst(dir, undefined);
        expect(report.failures, report.output.slice(-3000)).toEqual([]);
        expect(report.tests).toBeGreaterThanOrEqual(result.renderedCaseIds.length);
        expect(report.exitCode).toBe(0);
      }, 120_000);

      test.skipIf(!source.faults)(
        'at least one test fails against each seeded fault',
        async () => {
          const faults = Object.keys(SUT_FAULTS) as SutFault[];
          const reports = await mapLimit(faults, 2, (fault) => runAgainst(dir, fault));
          const undetected = faults.filter((_fault, index) => reports[index]!.failed === 0);
          expect(undetected, 'faults no test caught').toEqual([]);
          for (const report of reports) expect(report.exitCode).toBe(1);
        },
        600_000,
      );
    },
  );
}

/**
 * Runs the generated Postman collection for real under newman against the pet store SUT: every assertion
 * passes on the conforming server, and at least one fails against each seeded fault.
 */
import { describe, expect, test } from 'vitest';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import { joinText } from '../../cli/engine/render/common/file-text.ts';
import { postmanRenderer } from '../../cli/engine/render/postman/index.ts';
import { type NewmanReport, runNewman } from '../render/postman/run-newman.ts';
import { mapLimit, PLAN_SOURCES, SUT_CREDENTIALS } from '../render/pytest/e2e-plans.ts';
import { SUT_FAULTS, type SutFault, startSut } from '../sut/petstore-server.ts';

function collectionOf(plan: TestPlan): unknown {
  const file = postmanRenderer
    .render(plan, { generatorVersion: '0.0.0-test' })
    .files.find((f) => f.path.endsWith('.postman_collection.json'));
  return JSON.parse(joinText(file!.contents));
}

async function runAgainst(collection: unknown, fault: SutFault | undefined): Promise<NewmanReport> {
  const sut = await startSut({ fault });
  try {
    // A trailing slash on baseUrl must be tolerated.
    return await runNewman(collection, { baseUrl: `${sut.url}/`, ...SUT_CREDENTIALS });
  } finally {
    await sut.close();
  }
}

for (const source of PLAN_SOURCES) {
  describe.skipIf(!source.available)(`Postman collection for the pet store (${source.name})`, () => {
    test('every assertion passes against the conforming server', async () => {
      const plan = await source.load();
      const report = await runAgainst(collectionOf(plan), undefined);
      expect(report.failures).toEqual([]);
      const steps = plan.cases.reduce((sum, testCase) => sum + testCase.steps.length, 0);
      expect(report.requests).toBe(steps);
      expect(report.assertions).toBeGreaterThanOrEqual(steps * 3);
    }, 180_000);

    test.skipIf(!source.faults)(
      'at least one assertion fails against each seeded fault',
      async () => {
        const collection = collectionOf(await source.load());
        const faults = Object.keys(SUT_FAULTS) as SutFault[];
        const reports = await mapLimit(faults, 2, (fault) => runAgainst(collection, fault));
        const undetected = faults.filter((_fault, index) => reports[index]!.failed === 0);
        expect(undetected, 'faults no assertion caught').toEqual([]);
      },
      600_000,
    );
  });
}

/**
 * AI-enhanced suites run for real: the pet store plan enhanced through the real `openai` SDK (pointed at the
 * loopback fake with the scripted proposals), rendered as vitest and pytest suites, and run against the
 * conforming SUT — every test passes, the AI cases included.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enhancePlan } from '../../cli/engine/ai/enhance-plan.ts';
import { planTests } from '../../cli/engine/plan/plan-tests.ts';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import { joinText } from '../../cli/engine/render/common/file-text.ts';
import { getRenderer } from '../../cli/engine/render/registry.ts';
import type { RenderedFile } from '../../cli/engine/render/types.ts';
import { startFakeOpenAi } from '../ai/fake-openai-server.ts';
import type { FakeProvider } from '../ai/fake-provider-core.ts';
import { loadPetstoreIr } from '../ai/petstore-ir.ts';
import { expectedCounts, proposalsByOperation } from '../ai/petstore-proposals.ts';
import { optionsFor, PROVIDERS_UNDER_TEST, TEST_KEY } from '../ai/provider-fixtures.ts';
import { REPO, runSuite } from '../render/js/suite-runner.ts';
import { findPythons, pythonSkipReason } from '../render/pytest/python-env.ts';
import { runPytest } from '../render/pytest/run-pytest.ts';
import { type RunningSut, startSut } from '../sut/petstore-server.ts';

const TMP = join(REPO, 'tests/.tmp/ai');
const CREDENTIALS = { BEARER_AUTH: 'test-token', API_KEY_AUTH: 'test-api-key' };

function writeFiles(dir: string, files: RenderedFile[]): string {
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, joinText(file.contents));
  }
  return dir;
}

let plan: TestPlan;
let aiIds: string[];
let fake: FakeProvider;
let sut: RunningSut | undefined;

beforeAll(async () => {
  const ir = await loadPetstoreIr();
  fake = await startFakeOpenAi({ apiKey: TEST_KEY, proposals: proposalsByOperation() });
  const openai = PROVIDERS_UNDER_TEST.find((p) => p.name === 'openai')!;
  const result = await enhancePlan(ir, planTests(ir, { seed: 1 }), optionsFor(openai, fake));
  expect(result.stats.accepted).toBe(expectedCounts().accepted);
  plan = result.plan;
  aiIds = plan.cases.filter((c) => c.ai).map((c) => c.id);
});

afterAll(async () => {
  await fake?.close();
  await sut?.close();
});

describe('AI-enhanced suites against the conforming pet store', () => {
  test('the vitest suite passes, AI cases included', async () => {
    const result = getRenderer('vitest').render(plan, { generatorVersion: '0.0.0-test' });
    expect(aiIds.filter((id) => !result.renderedCaseIds.includes(id))).toEqual([]);
    const dir = writeFiles(join(TMP, 'e2e-vitest'), result.files);
    sut = await startSut();
    const report = await runSuite({
      format: 'vitest',
      dir,
      env: { BASE_URL: sut.url, ...CREDENTIALS },
      runId: 'ai-vitest',
    });
    await sut.close();
    sut = undefined;
    expect(report.failed, `${report.failures.join('\n')}\n${report.output.slice(-2500)}`).toBe(0);
    expect(report.passed).toBe(result.renderedCaseIds.length);
  }, 180_000);

  test('the AI cases alone notice a server that skips body validation', async () => {
    const aiOnly: TestPlan = { ...plan, cases: plan.cases.filter((c) => c.ai) };
    const result = getRenderer('vitest').render(aiOnly, { generatorVersion: '0.0.0-test' });
    const dir = writeFiles(join(TMP, 'e2e-vitest-ai-only'), result.files);
    sut = await startSut({ fault: 'ignore-body-constraints' });
    const report = await runSuite({
      format: 'vitest',
      dir,
      env: { BASE_URL: sut.url, ...CREDENTIALS },
      runId: 'ai-vitest-fault',
    });
    await sut.close();
    sut = undefined;
    expect(report.failed, report.output.slice(-2500)).toBeGreaterThan(0);
    // The failures are AI negatives (the AI positives still pass on the faulty server).
    expect(report.failures.join('\n')).toMatch(/microchip|birth date|plus|unknown property/);
  }, 180_000);

  const pythons = findPythons();
  test.skipIf(Boolean(pythonSkipReason(pythons)))(
    'the pytest suite passes, AI cases included',
    async () => {
      const result = getRenderer('pytest').render(plan, { generatorVersion: '0.0.0-test' });
      expect(aiIds.filter((id) => !result.renderedCaseIds.includes(id))).toEqual([]);
      const dir = writeFiles(join(TMP, 'e2e-pytest'), result.files);
      sut = await startSut();
      const report = await runPytest({
        python: pythons[0]?.command ?? 'python3',
        dir,
        env: { BASE_URL: sut.url, ...CREDENTIALS },
      });
      await sut.close();
      sut = undefined;
      expect(report.failures, report.output.slice(-3000)).toEqual([]);
      expect(report.tests).toBeGreaterThanOrEqual(result.renderedCaseIds.length);
      expect(report.exitCode).toBe(0);
    },
    180_000,
  );
});

/**
 * The generated pytest suite, run for real against the pet store SUT (tests/sut): the failure text (URL, curl
 * line, redaction, every failed check of a step, a traceback that points at the test), the summary, JUnit with
 * the same test names against two different faulty servers, coverage.json and its warnings, SPECMINT_CHECKS /
 * SPECMINT_EXCLUDE_CHECKS, hooks.py called at its points, parametrised tables and the plan-v2 oracles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { pytestRenderer } from '../../../cli/engine/render/pytest/index.ts';
import { type SutFault, startSut } from '../../sut/petstore-server.ts';
import { plannerPlan, SUT_CREDENTIALS } from './e2e-plans.ts';
import { oraclePlan, unknownIdsPlan } from './oracle-plan.ts';
import { findPythons, type PythonEnv, pythonSkipReason } from './python-env.ts';
import { type PytestReport, runPytest } from './run-pytest.ts';
import { TMP_ROOT, writeFiles } from './write-files.ts';

const pythons = findPythons();
const skip = pythonSkipReason(pythons);
const NO_REPORTS = { CI: '', SPECMINT_REPORTS: '' };

interface SuiteRun {
  plan: TestPlan;
  name: string;
  fault?: SutFault;
  env?: Record<string, string>;
  args?: string[];
  python?: PythonEnv;
  junit?: 'scratch' | 'reports';
  /** Extra files written into the suite before it runs (a user's hooks.py, a user's test module). */
  extra?: Record<string, string>;
}

async function runSuite(options: SuiteRun): Promise<PytestReport & { dir: string; url: string }> {
  const { files } = pytestRenderer.render(options.plan, { generatorVersion: '0.0.0-test' });
  const dir = writeFiles(join(TMP_ROOT, `pytest-run-${options.name}`), files);
  for (const [path, text] of Object.entries(options.extra ?? {})) writeFileSync(join(dir, path), text);
  const sut = await startSut(options.fault ? { fault: options.fault } : {});
  try {
    const report = await runPytest({
      python: (options.python ?? pythons[0])!.command,
      dir,
      env: { BASE_URL: sut.url, ...SUT_CREDENTIALS, ...NO_REPORTS, ...options.env },
      extraArgs: options.args ?? [],
      junit: options.junit ?? 'scratch',
    });
    return { ...report, dir, url: sut.url };
  } finally {
    await sut.close();
  }
}

/** Test names (classname::name) of a JUnit file, read by Python's XML parser (so it is well-formed). */
function junitNames(python: string, file: string): string[] {
  const code = `import sys, xml.etree.ElementTree as ET
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"): print(case.get("classname") + "::" + case.get("name"))`;
  return execFileSync(python, ['-c', code, file], { encoding: 'utf8' }).trim().split('\n').sort();
}

function coverageOf(dir: string): Record<string, unknown> & { warnings: string[]; failures: unknown[] } {
  return JSON.parse(readFileSync(join(dir, 'reports', 'coverage.json'), 'utf8'));
}

describe.skipIf(skip)('the generated pytest suite', { concurrent: true }, () => {
  test.each(pythons.map((p) => [p.command, p]))(
    'shows every failed check of a step with the URL, redacted headers and a curl line (%s)',
    async (_name, python) => {
      const run = await runSuite({
        plan: await plannerPlan(),
        name: `failure-${pythons.indexOf(python)}`,
        fault: 'undeclared-status',
        args: ['-k', 'test_createPet_contract_typical'],
        python,
      });
      expect(run.failed, run.output).toBe(1);
      const block = run.output.slice(run.output.indexOf('___ test_createPet_contract_typical ___'));
      const failure = block.slice(0, block.indexOf('= SpecMint summary ='));
      expect(failure).toMatch(
        /\ntests\/test_pets\.py:\d+: in test_createPet_contract_typical\n {4}case\.step\(\n/,
      );
      expect(failure).not.toMatch(/specmint_(runtime|values|report)\.py/);
      expect(failure).toContain('E     ✗ positive_data_acceptance: expected 201, got 200\n');
      expect(failure).toContain(
        'E     ✗ status_code_conformance: status 200 not declared (declared: 201, 400, 401)\n',
      );
      expect(failure).toContain(`E     request:  POST ${run.url}/pets\n`);
      expect(failure).toContain('E               Authorization: Bearer ***\n');
      expect(failure).toContain('E     response: 200 application/json\n');
      expect(failure).toContain(
        `E       curl -X POST '${run.url}/pets' -H "Authorization: Bearer $BEARER_AUTH" \\\n`,
      );
      expect(failure).not.toContain(SUT_CREDENTIALS.BEARER_AUTH);
      // The docs/checks.md text plus the test's line: not the ~70 lines of a long traceback.
      expect(failure.trim().split('\n').length).toBeLessThan(22);
      expect(run.output).toContain(
        'createPet · status_code_conformance: status 200 not declared (declared: 201, 400, 401) — 1 test\n',
      );
    },
    120_000,
  );

  test('writes JUnit with the same test names against two different faulty servers', async () => {
    const plan = await plannerPlan();
    const names: string[][] = [];
    for (const fault of ['undeclared-status', 'wrong-content-type'] as const) {
      const run = await runSuite({
        plan,
        name: `junit-${fault}`,
        fault,
        env: { SPECMINT_REPORTS: '1' },
        junit: 'reports',
      });
      expect(run.failed, run.output).toBeGreaterThan(0);
      names.push(junitNames(pythons[0]!.command, join(run.dir, 'reports', 'junit.xml')));
    }
    expect(names[0]).toEqual(names[1]);
    const table = /^tests\.test_pets::test_createPet_negative\[createPet_negative_\w+\]$/;
    expect(names[0]!.filter((name) => table.test(name)).length).toBeGreaterThan(1);
    expect(names[0]!.length).toBe(plan.cases.length);
  }, 120_000);

  test('writes coverage.json in the documented shape only when reports are asked for', async () => {
    const plan = await plannerPlan();
    const run = await runSuite({
      plan,
      name: 'coverage',
      env: { CI: 'true' },
      junit: 'reports',
      args: ['-k', 'createPet or listPets'],
    });
    expect(run.failed, run.output).toBe(0);
    const coverage = coverageOf(run.dir);
    expect(Object.keys(coverage)).toEqual([
      'specmint',
      'format',
      'api',
      'operations',
      'checks',
      'failures',
      'warnings',
    ]);
    expect(coverage).toMatchObject({ specmint: 1, format: 'pytest', api: plan.api, failures: [] });
    const operations = coverage.operations as Array<Record<string, unknown>>;
    expect(operations.map((op) => op.id)).toEqual(plan.operations.map((op) => op.id));
    expect(operations.find((op) => op.id === 'createPet')).toMatchObject({
      method: 'POST',
      path: '/pets',
      declared: ['201', '400', '401'],
      notSeen: [],
    });
    expect(run.output).toContain('reports: reports/junit.xml, reports/coverage.json');
    const quiet = await runSuite({
      plan,
      name: 'coverage-off',
      env: { CI: 'true', SPECMINT_REPORTS: '0' },
      args: ['-k', 'getHealth'],
    });
    expect(existsSync(join(quiet.dir, 'reports'))).toBe(false);
    expect(quiet.output).toContain('= SpecMint summary =');
  }, 120_000);

  test('warns that most requests answered 401 and names the unset credential variable', async () => {
    const run = await runSuite({
      plan: await plannerPlan(),
      name: 'no-credentials',
      env: { BEARER_AUTH: '', SPECMINT_REPORTS: '1' },
      args: ['-k', 'listPets'],
    });
    expect(run.failed).toBeGreaterThan(0);
    const warnings = coverageOf(run.dir).warnings;
    expect(warnings).toContain(
      'most requests to GET /pets answered 401/403: set BEARER_AUTH (BEARER_AUTH is not set)',
    );
    expect(run.output).toContain(
      'note: BEARER_AUTH is not set, so the request went without those credentials',
    );
  }, 120_000);

  test('warns that most requests answered 404 and prints the --path-param line', async () => {
    const run = await runSuite({
      plan: unknownIdsPlan(),
      name: 'unknown-ids',
      env: { SPECMINT_REPORTS: '1' },
    });
    expect(run.failed).toBe(2);
    expect(coverageOf(run.dir).warnings).toEqual([
      'most requests to GET /pets/{petId} answered 404: give real ids with --path-param petId=<id>',
    ]);
    expect(run.output).toContain('\nwarnings:\n  most requests to GET /pets/{petId} answered 404');
  }, 120_000);

  test('runs only the checks SPECMINT_CHECKS names, skips SPECMINT_EXCLUDE_CHECKS and refuses unknown names', async () => {
    const plan = await plannerPlan();
    const base = { plan, fault: 'undeclared-status' as const, args: ['-k', 'createPet_contract'] };
    const excluded = await runSuite({
      ...base,
      name: 'exclude',
      env: { SPECMINT_EXCLUDE_CHECKS: 'positive_data_acceptance,status_code_conformance' },
    });
    expect(excluded.failed, excluded.output).toBe(0);
    const only = await runSuite({
      ...base,
      name: 'only',
      env: { SPECMINT_CHECKS: 'status_code_conformance' },
    });
    expect(only.failures.join('\n')).toContain('status_code_conformance');
    expect(only.failures.join('\n')).not.toContain('positive_data_acceptance');
    const unknown = await runSuite({
      ...base,
      name: 'unknown',
      env: { SPECMINT_CHECKS: 'status_codes' },
    }).catch((error: Error) => error);
    expect(String(unknown)).toContain('SPECMINT_CHECKS names unknown check status_codes; known checks: ');
  }, 120_000);

  test.each(pythons.map((p) => [p.command, p]))(
    'calls hooks.py at its points and lets its fixtures be used (%s)',
    async (_name, python) => {
      const log = join(TMP_ROOT, `pytest-hooks-${pythons.indexOf(python)}.log`);
      const hooks = `import pytest

LOG = ${JSON.stringify(log)}


def _write(*parts):
    with open(LOG, "a", encoding="utf-8") as out:
        out.write(" ".join(str(part) for part in parts) + "\\n")


def before_run():
    open(LOG, "w").close()
    _write("before_run")


def before_request(request):
    request.headers["X-Hooked"] = "yes"
    _write("before_request", request.case_id, request.method)


def after_response(request, response):
    _write("after_response", request.case_id, response.status_code, response.request.headers.get("X-Hooked"))


def after_failure(test_id, error):
    _write("after_failure", test_id, type(error).__name__)


def after_run():
    _write("after_run")


@pytest.fixture
def favourite_species():
    return "dog"
`;
      const userTest = `def test_a_fixture_from_hooks(favourite_species):\n    assert favourite_species == "dog"\n`;
      const run = await runSuite({
        plan: await plannerPlan(),
        name: `hooks-${pythons.indexOf(python)}`,
        fault: 'undeclared-status',
        args: ['-k', 'getHealth_contract or createPet_contract_typical or a_fixture_from_hooks'],
        extra: { 'hooks.py': hooks, 'tests/test_user.py': userTest },
        python,
      });
      expect(run.tests, run.output).toBe(3);
      expect(run.failures.map((f) => f.split(':')[0])).toEqual(['test_createPet_contract_typical']);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
        'before_run',
        'before_request getHealth_contract_typical GET',
        'after_response getHealth_contract_typical 200 yes',
        'before_request createPet_contract_typical POST',
        'after_response createPet_contract_typical 200 yes',
        'after_failure createPet_contract_typical CheckFailure',
        'after_run',
      ]);
    },
    120_000,
  );

  test('a hook that raises fails the test it ran for, naming the hook', async () => {
    const run = await runSuite({
      plan: await plannerPlan(),
      name: 'hook-raises',
      args: ['-k', 'getHealth_contract'],
      extra: { 'hooks.py': 'def before_request(request):\n    raise RuntimeError("no token service")\n' },
    });
    expect(run.failed).toBe(1);
    expect(run.output).toContain('hook before_request() in hooks.py raised RuntimeError: no token service');
  }, 120_000);

  test.each(pythons.slice(0, 1).map((p) => [p.command, p]))(
    'runs the plan-v2 oracles and tables: passes on the correct server (%s)',
    async (_name, python) => {
      const plan = oraclePlan();
      const run = await runSuite({
        plan,
        name: 'oracles',
        python,
        env: { SPECMINT_REPORTS: '1' },
        junit: 'reports',
      });
      expect(run.failed, run.output).toBe(0);
      expect(run.tests).toBe(plan.cases.length);
      const names = junitNames(python.command, join(run.dir, 'reports', 'junit.xml'));
      expect(names).toContain('tests.test_pets::test_listPets_contract[listPets_contract_status_pending]');
      const checks = coverageOf(run.dir).checks as Array<{ name: string; run: number; failed: number }>;
      const ran = Object.fromEntries(checks.map((check) => [check.name, check.run]));
      expect(ran).toMatchObject({
        read_after_write: 2,
        filter_consistency: 1,
        idempotence: 1,
        use_after_delete: 1,
        unsupported_method: 1,
        // Location (sent, matching its pattern) on the 201 of each of the five flows' creates.
        response_headers_conformance: 5,
      });
    },
    120_000,
  );

  test.each([
    ['update-noop', 'updatePet_read_after_write', 'read_after_write'],
    ['delete-noop', 'deletePet_use_after_delete', 'use_after_delete'],
  ] as const)(
    'the oracles notice the fault %s',
    async (fault, testName, check) => {
      const run = await runSuite({ plan: oraclePlan(), name: `oracle-${fault}`, fault });
      const failure = run.failures.find((line) => line.startsWith(`test_${testName}:`));
      expect(failure, run.output).toContain(`✗ ${check}: `);
    },
    120_000,
  );

  test('a required response header that is missing fails response_headers_conformance', async () => {
    const run = await runSuite({
      plan: oraclePlan({ requireVersion: true }),
      name: 'location',
      args: ['-k', 'createPet_read_after_write'],
    });
    expect(run.failures.join('\n')).toContain(
      '✗ response_headers_conformance: required header X-Pet-Version of the 201 response is missing',
    );
  }, 120_000);
});

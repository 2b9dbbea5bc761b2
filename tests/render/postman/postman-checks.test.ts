/**
 * The generated Postman suite run as its README says (`node specmint-run.mjs`, newman underneath): the named
 * checks of docs/checks.md on the oracle server (every plan field, each check passing where the server keeps its
 * promise and failing where it breaks it), the failure text (URL, curl line, credentials redacted, every failed
 * check of a step), the JUnit and coverage reports and their warnings, SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS,
 * and the hooks, on the pet store SUT and its faults too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { postmanRenderer } from '../../../cli/engine/render/postman/index.ts';
import { type SutFault, startSut } from '../../sut/petstore-server.ts';
import { plannerPlan, SUT_CREDENTIALS } from '../pytest/e2e-plans.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';
import { ORACLE_FAILURES, ORACLE_PLAN } from './oracle-plan.ts';
import { ORACLE_KEY, ORACLE_TOKEN, type OracleServer, startOracleServer } from './oracle-server.ts';
import { type JunitCase, runSuiteScript, type SuiteScriptRun } from './run-newman.ts';

const OPTIONS = { generatorVersion: '9.9.9' };
const ORACLE_ENV = { ORACLE_AUTH: ORACLE_TOKEN, QUERY_KEY: ORACLE_KEY, SPECMINT_REPORTS: '1' };

/** Renders `plan`, writes it under `slug` and runs it against `baseUrl` with `env`. */
async function runPlan(
  plan: TestPlan,
  slug: string,
  env: Record<string, string>,
  prepare?: (dir: string) => void,
): Promise<SuiteScriptRun & { dir: string }> {
  const dir = writeFiles(
    join(TMP_ROOT, `postman-checks-${slug}`),
    postmanRenderer.render(plan, OPTIONS).files,
  );
  prepare?.(dir);
  return { ...(await runSuiteScript({ dir, env })), dir };
}

/** The case id of a JUnit suite (newman names it by the request: `folder / … / <case id> · …`). */
function caseOf(test: JunitCase): string {
  return test.suite.split(' / ').at(-1)!.split(' · ')[0]!;
}

interface Coverage {
  specmint: number;
  format: string;
  api: { title: string; version: string };
  operations: Array<{
    id: string;
    method: string;
    path: string;
    requests: number;
    declared: string[];
    seen: Record<string, number>;
    notSeen: string[];
  }>;
  checks: Array<{ name: string; run: number; failed: number }>;
  failures: Array<{ operation: string; check: string; message: string; tests: number }>;
  warnings: string[];
}

describe('the oracle plan under newman', () => {
  let server: OracleServer;
  let run: SuiteScriptRun;

  beforeAll(async () => {
    server = await startOracleServer();
    run = await runPlan(ORACLE_PLAN, 'oracle', { BASE_URL: server.url, ...ORACLE_ENV });
  }, 180_000);
  afterAll(() => server?.close());

  test('each check fails exactly where the server breaks its promise', () => {
    expect(run.junit, run.output).toBeDefined();
    const failed = new Map<string, string[]>();
    for (const test of run.junit!) {
      if (test.failure === undefined) continue;
      failed.set(caseOf(test), [...(failed.get(caseOf(test)) ?? []), test.name]);
    }
    const sorted = (map: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(map).map(([key, names]) => [key, [...names].sort()]));
    expect(sorted(Object.fromEntries(failed)), run.output.slice(-4000)).toEqual(sorted(ORACLE_FAILURES));
    // Every case ran its checks: the passing ones are there too, by name.
    const cases = new Set(run.junit!.map(caseOf));
    for (const testCase of ORACLE_PLAN.cases) expect(cases, testCase.id).toContain(testCase.id);
    expect(run.code).toBe(1);
  });

  test('a failure names every failed check of the step, the full URL, and a curl line without the secret', () => {
    const broken = run.junit!.filter((test) => caseOf(test) === 'broken' && test.failure);
    const text = broken.find((test) => test.failure!.includes('reproduce:'))!.failure!;
    expect(text).toContain('broken — GET /broken fails');
    expect(text).toContain('  ✗ not_a_server_error: status 500 is a server error');
    expect(text).toContain('  ✗ positive_data_acceptance: expected 200, got 500');
    expect(text).toContain('  ✗ status_code_conformance: status 500 not declared (declared: 200)');
    expect(text).toContain(`  request:  GET ${server.url}/broken`);
    expect(text).toContain('            Authorization: Bearer ***');
    expect(text).toContain('  response: 500 text/plain');
    expect(text).toContain(
      `    curl -X GET '${server.url}/broken' \\\n      -H "Authorization: Bearer $ORACLE_AUTH"`,
    );
    // An API key in the query is redacted in the URL and comes from its variable in the curl line.
    const search = run.junit!.find((test) => caseOf(test) === 'search_wrong_status' && test.failure)!
      .failure!;
    expect(search).toContain(`  request:  GET ${server.url}/search?api_key=***`);
    expect(search).toContain(`curl -X GET "${server.url}/search?api_key=$QUERY_KEY"`);
    // The run prints each failure in full, then the summary.
    expect(run.output).toContain('broken — GET /broken fails\n  ✗ not_a_server_error');
    expect(run.output).not.toContain(ORACLE_TOKEN);
    expect(JSON.stringify(run.junit)).not.toContain(ORACLE_TOKEN);
    expect(JSON.stringify(run.junit)).not.toContain(`api_key=${ORACLE_KEY}`);
    // Only newman's own progress lines show a request's URL as sent (a key in the query included).
    const keyLines = run.output.split('\n').filter((line) => line.includes(`api_key=${ORACLE_KEY}`));
    expect(keyLines.length).toBeGreaterThan(0);
    for (const line of keyLines)
      expect(line).toMatch(/^ {2}GET http:\/\/127\.0\.0\.1:\d+\/search\?api_key=k3y \[/);
  });

  test('the summary groups failures by operation and check and lists the lenient statuses as warnings', () => {
    // openPost is only sent a PATCH its path does not declare, which is no request to it.
    expect(run.output).toMatch(
      /SpecMint summary: \d+ requests to 12 of 13 operations, \d+ checks, 12 failed/,
    );
    expect(run.output).toContain('  broken · not_a_server_error: status 500 is a server error — 1 test');
    expect(run.output).toContain(
      '  putItem · idempotence: /name was "Ann" after one call and is "Ann (again)" after repeating it — 1 test',
    );
    const coverage = run.coverage as unknown as Coverage;
    expect(coverage.warnings).toContainEqual(expect.stringMatching(/^strict: status 422 is not declared/));
    // A PATCH the path does not declare is no request to getItem: its 405 is no undeclared status of getItem.
    expect(coverage.warnings).not.toContainEqual(expect.stringMatching(/^getItem: status 405/));
    const strict = run.junit!.filter((test) => caseOf(test) === 'strict_lenient');
    expect(strict.map((test) => test.name)).toContain('status_code_conformance');
    expect(strict.every((test) => test.failure === undefined)).toBe(true);
  });

  test('coverage.json has the shape of docs/checks.md', () => {
    const coverage = run.coverage as unknown as Coverage;
    expect(Object.keys(coverage)).toEqual([
      'specmint',
      'format',
      'api',
      'operations',
      'checks',
      'failures',
      'warnings',
    ]);
    expect(coverage).toMatchObject({
      specmint: 1,
      format: 'postman',
      api: { title: 'Oracle API', version: '1.0.0' },
    });
    const getItem = coverage.operations.find((op) => op.id === 'getItem')!;
    expect(getItem).toMatchObject({ method: 'GET', path: '/items/{id}', declared: ['200', '404', '401'] });
    expect(getItem.seen).toMatchObject({ 200: expect.any(Number), 404: 1 });
    expect(getItem.seen).not.toHaveProperty('405');
    expect(getItem.notSeen).toEqual(['401']);
    expect(coverage.checks.find((c) => c.name === 'idempotence')).toEqual({
      name: 'idempotence',
      run: 2,
      failed: 1,
    });
    expect(coverage.failures).toContainEqual({
      operation: 'listItems',
      check: 'filter_consistency',
      message: '1 of 2 items in /items have colour "blue", not the filtered "red"',
      tests: 1,
    });
  });

  test('no body is sent with GET, and responses without content are not parsed', () => {
    const search = server.seen.filter((request) => request.url.startsWith('/search'));
    expect(search.length).toBe(2);
    for (const request of search) {
      expect(request.body).toBe('');
      expect(request.headers['content-type']).toBeUndefined();
    }
    // HEAD and 204 answers carry a JSON Content-Type and nothing else: every check passes.
    for (const id of ['head_json', 'delete_gone']) {
      const tests = run.junit!.filter((test) => caseOf(test) === id);
      expect(tests.length).toBeGreaterThan(0);
      expect(tests.filter((test) => test.failure)).toEqual([]);
    }
  });
});

describe('the pet store SUT under newman', () => {
  /** Cases enough to see the faults and keep the runs short. */
  async function smallPlan(): Promise<TestPlan> {
    const plan = await plannerPlan();
    const keep =
      /^(createPet|getPet|listPets)_(contract_typical|auth_no_credentials)$|^createPet_stateful_lifecycle$/;
    return { ...plan, cases: plan.cases.filter((testCase) => keep.test(testCase.id)) };
  }

  async function runOn(
    fault: SutFault | undefined,
    slug: string,
    env: Record<string, string>,
    plan?: TestPlan,
  ) {
    const sut = await startSut(fault ? { fault } : {});
    try {
      return await runPlan(plan ?? (await smallPlan()), slug, { BASE_URL: `${sut.url}/`, ...env });
    } finally {
      await sut.close();
    }
  }

  test('a step that breaks two checks reports both, and test names stay the same across faulty servers', async () => {
    const env = { ...SUT_CREDENTIALS, SPECMINT_REPORTS: '1' };
    const [undeclared, wrongType] = await Promise.all([
      runOn('undeclared-status', 'undeclared', env),
      runOn('wrong-response-type', 'wrong-type', env),
    ]);
    const contract = undeclared.junit!.filter((test) =>
      test.suite.endsWith(
        'createPet_contract_typical · POST /pets accepts a valid request (from the example) and answers as declared',
      ),
    );
    expect(
      contract
        .filter((test) => test.failure)
        .map((test) => test.name)
        .sort(),
    ).toEqual(['positive_data_acceptance', 'status_code_conformance']);
    expect(undeclared.output).toContain('  ✗ positive_data_acceptance: expected 201, got 200');
    expect(undeclared.output).toContain(
      '  ✗ status_code_conformance: status 200 not declared (declared: 201, 400, 401)',
    );
    expect(undeclared.output).toMatch(
      /curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/pets' \\\n {6}-H 'Content-Type: application\/json' \\\n {6}-H "Authorization: Bearer \$BEARER_AUTH"/,
    );
    expect(undeclared.output).not.toContain(SUT_CREDENTIALS.BEARER_AUTH);
    expect(wrongType.junit!.some((test) => test.name === 'response_schema_conformance' && test.failure)).toBe(
      true,
    );
    const names = (run: SuiteScriptRun) => run.junit!.map((test) => `${test.suite} › ${test.name}`).sort();
    expect(names(undeclared)).toEqual(names(wrongType));
    expect(new Set(names(undeclared)).size).toBe(names(undeclared).length);
  }, 240_000);

  test('without the credential variable, the summary says to set it', async () => {
    const run = await runOn(undefined, 'no-credentials', {
      API_KEY_AUTH: 'test-api-key',
      SPECMINT_REPORTS: '1',
    });
    const coverage = run.coverage as unknown as Coverage;
    expect(coverage.warnings).toContain('most requests to POST /pets answered 401/403: set BEARER_AUTH');
    expect(run.output).toContain('most requests to GET /pets answered 401/403: set BEARER_AUTH');
  }, 180_000);

  test('when most ids in a path are unknown, the summary asks for --path-param', async () => {
    const plan = await plannerPlan();
    const contract = plan.cases.find((testCase) => testCase.id === 'listPets_contract_typical')!;
    const unknown = {
      ...contract,
      id: 'getPet_unknown_1',
      operationId: 'getPet',
      title: 'GET /pets/{petId} of a pet that does not exist',
      steps: [{ ...contract.steps[0]!, operationId: 'getPet', path: ['/pets/987654'] }],
    };
    const run = await runOn(
      undefined,
      'unknown-ids',
      { ...SUT_CREDENTIALS, SPECMINT_REPORTS: '1' },
      {
        ...plan,
        cases: [unknown],
      },
    );
    expect((run.coverage as unknown as Coverage).warnings).toContain(
      'most requests to GET /pets/{petId} answered 404: give real ids with --path-param petId=<id>',
    );
  }, 180_000);

  test('SPECMINT_EXCLUDE_CHECKS skips checks, SPECMINT_CHECKS picks them, an unknown name is an error', async () => {
    const excluded = await runOn('undeclared-status', 'excluded', {
      ...SUT_CREDENTIALS,
      SPECMINT_REPORTS: '1',
      SPECMINT_EXCLUDE_CHECKS: 'positive_data_acceptance, status_code_conformance',
    });
    expect(
      excluded.junit!.filter((test) => test.failure),
      excluded.output,
    ).toEqual([]);
    expect(excluded.junit!.some((test) => test.name === 'status_code_conformance')).toBe(false);
    expect(excluded.code).toBe(0);

    const only = await runOn('undeclared-status', 'only', {
      ...SUT_CREDENTIALS,
      SPECMINT_REPORTS: '1',
      SPECMINT_CHECKS: 'not_a_server_error',
    });
    expect(new Set(only.junit!.map((test) => test.name))).toEqual(
      new Set(['not_a_server_error', 'captures petId']),
    );
    expect(only.code).toBe(0);

    const unknown = await runOn(undefined, 'unknown-check', {
      ...SUT_CREDENTIALS,
      SPECMINT_CHECKS: 'schema,not_a_server_error',
    });
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain(
      'SPECMINT_CHECKS names unknown checks: schema. Known checks: not_a_server_error, status_code_conformance',
    );
  }, 300_000);

  test('SPECMINT_REPORTS=0 writes no reports, even under CI', async () => {
    const run = await runOn(undefined, 'no-reports', {
      ...SUT_CREDENTIALS,
      CI: 'true',
      SPECMINT_REPORTS: '0',
    });
    expect(run.junit).toBeUndefined();
    expect(run.coverage).toBeUndefined();
    expect(run.output).toContain('SpecMint summary:');
    expect(run.code).toBe(0);
  }, 180_000);
});

describe('hooks.postman_environment.json', () => {
  test('beforeRequest and afterResponse run around every request; a hook that throws fails it, named', async () => {
    const server = await startOracleServer();
    const plan = { ...ORACLE_PLAN, cases: ORACLE_PLAN.cases.filter((c) => c.id.startsWith('list_table_')) };
    const hooks = (before: string, after: string) => (dir: string) =>
      writeFileSync(
        join(dir, 'hooks.postman_environment.json'),
        JSON.stringify({
          name: 'hooks',
          values: [
            { key: 'specmint.hooks.beforeRequest', value: before, enabled: true },
            { key: 'specmint.hooks.afterResponse', value: after, enabled: true },
          ],
        }),
      );
    try {
      const run = await runPlan(
        plan,
        'hooks',
        { BASE_URL: server.url, ...ORACLE_ENV },
        hooks(
          "pm.request.headers.upsert({ key: 'X-Hook', value: 'before ' + pm.info.requestName.split(' ')[0] });",
          "console.log('after-hook ' + pm.response.code);",
        ),
      );
      expect(run.code, run.output).toBe(0);
      expect(server.seen.map((request) => request.headers['x-hook'])).toEqual([
        'before list_table_1',
        'before list_table_2',
        'before list_table_3',
      ]);
      expect(run.output.match(/after-hook 200/g)).toHaveLength(3);

      const failing = await runPlan(
        plan,
        'hooks-throw',
        { BASE_URL: server.url, ...ORACLE_ENV },
        hooks('', "throw new Error('no clean-up today');"),
      );
      expect(failing.code).toBe(1);
      expect(failing.output).toContain(
        'the hook specmint.hooks.afterResponse (hooks.postman_environment.json) failed: no clean-up today',
      );
    } finally {
      await server.close();
    }
  }, 240_000);
});

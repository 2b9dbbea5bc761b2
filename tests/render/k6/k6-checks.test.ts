/**
 * The generated k6 suite run as its README says, under the Node shims (k6 itself cannot be installed here): the
 * named checks on the oracle server (the oracle plan's cases all made contract cases, so the load test renders
 * them), the failure text, handleSummary's summary, JUnit and coverage reports and their warnings,
 * SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS, and the hooks in hooks.js, on the pet store SUT and its faults too.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { OTHER_ODD_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { type SutFault, startSut } from '../../sut/petstore-server.ts';
import { ORACLE_FAILURES, ORACLE_PLAN } from '../postman/oracle-plan.ts';
import { ORACLE_KEY, ORACLE_TOKEN, type OracleServer, startOracleServer } from '../postman/oracle-server.ts';
import type { JunitCase } from '../postman/run-newman.ts';
import { plannerPlan, SUT_CREDENTIALS } from '../pytest/e2e-plans.ts';
import { type K6SuiteRun, runK6Suite } from './run-suite.ts';

const ORACLE_ENV = { ORACLE_AUTH: ORACLE_TOKEN, QUERY_KEY: ORACLE_KEY, SPECMINT_REPORTS: '1' };

/** The oracle plan with every case a contract case: a load test runs contract cases only. */
const ORACLE_AS_CONTRACT: TestPlan = {
  ...ORACLE_PLAN,
  cases: ORACLE_PLAN.cases.map((testCase) => ({ ...testCase, category: 'contract' })),
};

/** The case id of a JUnit suite (a k6 group named `<case id> · <title>`). */
const caseOf = (test: JunitCase) => test.suite.split(' · ')[0]!;

interface Coverage {
  specmint: number;
  format: string;
  operations: Array<{
    id: string;
    requests: number;
    declared: string[];
    seen: Record<string, number>;
    notSeen: string[];
  }>;
  checks: Array<{ name: string; run: number; failed: number }>;
  failures: Array<{ operation: string; check: string; message: string; tests: number }>;
  warnings: string[];
}

describe('the oracle plan under the k6 shims', () => {
  let server: OracleServer;
  let run: K6SuiteRun;

  beforeAll(async () => {
    server = await startOracleServer();
    run = await runK6Suite({
      plan: ORACLE_AS_CONTRACT,
      slug: 'oracle',
      env: { BASE_URL: server.url, ...ORACLE_ENV },
    });
  }, 120_000);
  afterAll(() => server?.close());

  test('each check fails exactly where the server breaks its promise', () => {
    const failed: Record<string, string[]> = {};
    for (const test of run.junit!) {
      if (test.failure !== undefined)
        failed[caseOf(test)] = [...(failed[caseOf(test)] ?? []), test.name].sort();
    }
    const expected = Object.fromEntries(
      Object.entries(ORACLE_FAILURES).map(([id, names]) => [id, [...names].sort()]),
    );
    expect(failed, run.stdout).toEqual(expected);
    expect(new Set(run.junit!.map(caseOf))).toEqual(
      new Set(ORACLE_PLAN.cases.map((testCase) => testCase.id)),
    );
  });

  test('a failure is printed once with every failed check, the URL and a curl line without the secret', () => {
    expect(run.stderr).toContain(
      [
        'broken — GET /broken fails',
        '  ✗ not_a_server_error: status 500 is a server error',
        '  ✗ positive_data_acceptance: expected 200, got 500',
        '  ✗ status_code_conformance: status 500 not declared (declared: 200)',
        `  request:  GET ${server.url}/broken`,
        '            Authorization: Bearer ***',
        '  response: 500 text/plain',
        '            boom',
        '  reproduce:',
        `    curl -X GET '${server.url}/broken' \\`,
        '      -H "Authorization: Bearer $ORACLE_AUTH"',
      ].join('\n'),
    );
    expect(run.stderr).toContain(`  request:  GET ${server.url}/search?api_key=***`);
    expect(run.stderr).toContain(`curl -X GET "${server.url}/search?api_key=$QUERY_KEY"`);
    for (const text of [run.stdout, run.stderr, JSON.stringify(run.junit), JSON.stringify(run.coverage)]) {
      expect(text).not.toContain(ORACLE_TOKEN);
      expect(text).not.toContain(`api_key=${ORACLE_KEY}`);
    }
  });

  test('handleSummary prints failures by operation and check, warnings and thresholds, and writes the reports', () => {
    expect(run.stdout).toContain('  broken · not_a_server_error: status 500 is a server error — 1 test');
    expect(run.stdout).toContain(
      '  listItems · filter_consistency: 1 of 2 items in /items have colour "blue", not the filtered "red" — 1 test',
    );
    expect(run.stdout).toMatch(/ {2}[✓✗] specmint_checks rate>0\.99/);
    expect(run.files.sort()).toEqual(['reports/coverage.json', 'reports/junit.xml']);
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
    expect(coverage.format).toBe('k6');
    expect(coverage.warnings).toContainEqual(expect.stringMatching(/^strict: status 422 is not declared/));
    // A PATCH the path does not declare is no request to getItem: its 405 is no undeclared status of getItem.
    expect(coverage.warnings).not.toContainEqual(expect.stringMatching(/^getItem: status 405/));
    expect(coverage.checks.find((c) => c.name === 'idempotence')).toEqual({
      name: 'idempotence',
      run: 2,
      failed: 1,
    });
    const getItem = coverage.operations.find((op) => op.id === 'getItem')!;
    expect(getItem.notSeen).toEqual(['401']);
    expect(getItem.seen).toMatchObject({ 404: 1 });
    expect(getItem.seen).not.toHaveProperty('405');
  });

  test('no body goes with GET, responses without content are not parsed, tables run every row', () => {
    for (const request of server.seen.filter((r) => r.url.startsWith('/search')))
      expect(request.body).toBe('');
    for (const id of ['head_json', 'delete_gone']) {
      expect(run.junit!.filter((test) => caseOf(test) === id && test.failure)).toEqual([]);
    }
    const listed = server.seen
      .filter((r) => r.method === 'GET' && /^\/items\?colour=/.test(r.url))
      .map((r) => r.url);
    expect(listed).toEqual(
      expect.arrayContaining(['/items?colour=green', '/items?colour=blue', '/items?colour=pink']),
    );
  });
});

describe('the pet store SUT under the k6 shims', () => {
  async function runOn(
    fault: SutFault | undefined,
    slug: string,
    env: Record<string, string>,
    plan?: TestPlan,
  ) {
    const sut = await startSut(fault ? { fault } : {});
    try {
      return await runK6Suite({
        plan: plan ?? (await plannerPlan()),
        slug,
        env: { BASE_URL: `${sut.url}/`, ...env },
      });
    } finally {
      await sut.close();
    }
  }
  const REPORTS = { ...SUT_CREDENTIALS, SPECMINT_REPORTS: '1' };

  test('a step that breaks two checks reports both; test names stay the same across faulty servers', async () => {
    const [undeclared, wrongType] = await Promise.all([
      runOn('undeclared-status', 'undeclared', REPORTS),
      runOn('wrong-response-type', 'wrong-type', REPORTS),
    ]);
    expect(undeclared.stderr).toContain(
      '  ✗ positive_data_acceptance: expected 201, got 200\n  ✗ status_code_conformance: status 200 not declared (declared: 201, 400, 401)',
    );
    expect(undeclared.stderr).toContain('-H "Authorization: Bearer $BEARER_AUTH"');
    expect(undeclared.stderr + undeclared.stdout).not.toContain(SUT_CREDENTIALS.BEARER_AUTH);
    expect(wrongType.junit!.some((test) => test.name === 'response_schema_conformance' && test.failure)).toBe(
      true,
    );
    const names = (run: K6SuiteRun) => run.junit!.map((test) => `${test.suite} › ${test.name}`).sort();
    expect(names(undeclared)).toEqual(names(wrongType));
  }, 180_000);

  test('without the credential variable the requests go without it and the summary says to set it', async () => {
    const run = await runOn(undefined, 'no-credentials', {
      API_KEY_AUTH: 'test-api-key',
      SPECMINT_REPORTS: '1',
    });
    expect(run.stderr).toContain(
      'SpecMint: BEARER_AUTH is not set (pass -e BEARER_AUTH=...): requests are sent without it',
    );
    expect((run.coverage as unknown as Coverage).warnings).toContain(
      'most requests to POST /pets answered 401/403: set BEARER_AUTH',
    );
  }, 120_000);

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
    const run = await runOn(undefined, 'unknown-ids', REPORTS, { ...plan, cases: [unknown] });
    expect((run.coverage as unknown as Coverage).warnings).toContain(
      'most requests to GET /pets/{petId} answered 404: give real ids with --path-param petId=<id>',
    );
  }, 120_000);

  test('SPECMINT_EXCLUDE_CHECKS and SPECMINT_CHECKS choose the checks; an unknown name stops the run', async () => {
    const excluded = await runOn('undeclared-status', 'excluded', {
      ...REPORTS,
      SPECMINT_EXCLUDE_CHECKS: 'positive_data_acceptance,status_code_conformance',
    });
    expect(excluded.junit!.filter((test) => test.failure)).toEqual([]);
    expect(excluded.junit!.some((test) => test.name === 'status_code_conformance')).toBe(false);
    const only = await runOn('undeclared-status', 'only', {
      ...REPORTS,
      SPECMINT_CHECKS: 'status_code_conformance',
    });
    expect(new Set(only.junit!.map((test) => test.name))).toEqual(
      new Set(['status_code_conformance', 'captures petId']),
    );
    expect(only.junit!.some((test) => test.failure)).toBe(true);
    await expect(
      runOn(undefined, 'unknown-check', { ...REPORTS, SPECMINT_CHECKS: 'schema' }),
    ).rejects.toThrow(
      'SPECMINT_CHECKS names unknown checks: schema. Known checks: not_a_server_error, status_code_conformance',
    );
  }, 180_000);

  test('SPECMINT_REPORTS=0 writes no reports, even under CI; the summary is printed all the same', async () => {
    const run = await runOn(undefined, 'no-reports', {
      ...SUT_CREDENTIALS,
      CI: 'true',
      SPECMINT_REPORTS: '0',
    });
    expect(run.files).toEqual([]);
    expect(run.stdout).toContain('SpecMint summary:');
  }, 120_000);
});

describe('hooks.js', () => {
  test('beforeRun, beforeRequest, afterResponse and afterRun run at their points; a throwing hook fails its request', async () => {
    const server = await startOracleServer();
    const plan = { ...ORACLE_PLAN, cases: ORACLE_PLAN.cases.filter((c) => c.id.startsWith('list_table_')) };
    const hooks = (body: string) => (dir: string) => writeFileSync(join(dir, 'hooks.js'), body);
    try {
      const run = await runK6Suite({
        plan,
        slug: 'hooks',
        env: { BASE_URL: server.url, ...ORACLE_ENV },
        prepare: hooks(`
export function beforeRun() { console.log('hook beforeRun'); return { token: 'from-setup' }; }
export function beforeRequest(request) { request.headers['X-Hook'] = 'before ' + request.url.split('?')[1]; }
export function afterResponse(request, response) { console.log('hook afterResponse ' + response.status); }
export function afterRun(data) { console.log('hook afterRun ' + JSON.stringify(data)); }
`),
      });
      expect(server.seen.map((request) => request.headers['x-hook'])).toEqual([
        'before colour=green',
        'before colour=blue',
        'before colour=pink',
      ]);
      const logs = run.stdout.split('\n').filter((line) => line.startsWith('hook '));
      expect(logs).toEqual([
        'hook beforeRun',
        'hook afterResponse 200',
        'hook afterResponse 200',
        'hook afterResponse 200',
        'hook afterRun {"token":"from-setup"}',
      ]);
      expect(run.junit!.filter((test) => test.failure)).toEqual([]);

      const failing = await runK6Suite({
        plan,
        slug: 'hooks-throw',
        env: { BASE_URL: server.url, ...ORACLE_ENV },
        prepare: hooks(`export function afterResponse() { throw new Error('no clean-up today'); }\n`),
      });
      const failures = failing.junit!.filter((test) => test.failure);
      expect(failures.length).toBe(3 * 5);
      expect(failures[0]!.failure).toContain('the hook afterResponse (hooks.js) failed: no clean-up today');
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe('form and multipart bodies under the k6 shims', () => {
  test('an array field is one field (or part) per item under the same name (form style, exploded)', async () => {
    const echo = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/vnd.echo+json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const { port } = echo.address() as AddressInfo;
    try {
      const plan: TestPlan = {
        ...OTHER_ODD_PLAN,
        cases: OTHER_ODD_PLAN.cases.filter((c) => c.id === 'echo_contract_2' || c.id === 'echo_contract_3'),
      };
      const run = await runK6Suite({
        plan,
        slug: 'array-fields',
        env: { BASE_URL: `http://127.0.0.1:${port}`, QUERY_KEY: 'qk', COOKIE_KEY: 'ck' },
      });
      const form = run.sent.find((r) => r.headers['Content-Type'] === 'application/x-www-form-urlencoded');
      const multipart = run.sent.find((r) => r.headers['Content-Type']?.startsWith('multipart/form-data'));
      expect(new URLSearchParams(form?.body ?? '').getAll('tags')).toEqual(['p', 'q']);
      expect(multipart?.body?.match(/name="tags"\r\n\r\n[pq]\r\n/g)).toHaveLength(2);
    } finally {
      echo.close();
    }
  }, 120_000);
});

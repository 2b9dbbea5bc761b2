/**
 * The run's record of the JS-family runtime: the end-of-run summary (failures grouped by operation and check,
 * then the warnings of docs/checks.md), reports/coverage.json's shape, and which checks SPECMINT_CHECKS and
 * SPECMINT_EXCLUDE_CHECKS select.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { CHECKS_OFF_BY_DEFAULT, CHECK_NAMES as PLAN_CHECK_NAMES } from '../../../cli/engine/plan/types.ts';
import { evaluate } from '../../../cli/engine/render/js-common/runtime/checks.ts';
import { createRecord, type StepEvent } from '../../../cli/engine/render/js-common/runtime/report.ts';
import { api, operations } from '../../../cli/engine/render/js-common/runtime/schemas.ts';
import {
  CHECK_NAMES,
  ChecksError,
  CHECKS_OFF_BY_DEFAULT as RUNTIME_OFF,
  reportsEnabled,
  selectedChecks,
} from '../../../cli/engine/render/js-common/runtime/values.ts';

beforeAll(() => {
  api.title = 'Pet Store';
  api.version = '1.0.0';
  operations.createPet = {
    method: 'POST',
    path: '/pets',
    responses: [
      { status: '201', contents: [] },
      { status: '400', contents: [] },
    ],
  };
  operations.getPet = { method: 'GET', path: '/pets/{petId}', responses: [{ status: '200', contents: [] }] };
  operations.listPets = { method: 'GET', path: '/pets', responses: [{ status: '200', contents: [] }] };
});

const event = (over: Partial<StepEvent>): StepEvent => ({
  case: 'case',
  operation: 'createPet',
  check: 'positive_data_acceptance',
  status: 201,
  ran: ['not_a_server_error', 'status_code_conformance', 'positive_data_acceptance'],
  failures: [],
  warnings: [],
  credentials: [],
  missing: [],
  ...over,
});

describe('the summary', () => {
  test('groups failures by operation and check, counting the tests each failed in', () => {
    const record = createRecord('vitest', selectedChecks({}));
    for (const id of ['a', 'b', 'c']) {
      record.add(
        event({
          case: id,
          status: 422,
          failures: [
            { check: 'status_code_conformance', key: 'status 422 not declared (declared: 201, 400)' },
          ],
        }),
      );
    }
    record.add(event({ case: 'a', status: 201 }));
    const lines = record.summaryLines();
    expect(lines[0]).toBe('operations: 1 of 3 called, 4 requests');
    expect(lines).toContain('  not called: getPet, listPets');
    expect(lines).toContain('failures by operation and check:');
    expect(lines).toContain(
      '  createPet · status_code_conformance: status 422 not declared (declared: 201, 400) — 3 tests',
    );
    const coverage = record.coverage();
    expect(coverage).toMatchObject({
      specmint: 1,
      format: 'vitest',
      api: { title: 'Pet Store', version: '1.0.0' },
      failures: [
        {
          operation: 'createPet',
          check: 'status_code_conformance',
          message: 'status 422 not declared (declared: 201, 400)',
          tests: 3,
        },
      ],
    });
    expect(coverage.operations[0]).toEqual({
      id: 'createPet',
      method: 'POST',
      path: '/pets',
      requests: 4,
      declared: ['201', '400'],
      seen: { '201': 1, '422': 3 },
      notSeen: ['400'],
    });
    expect(coverage.checks.find((check) => check.name === 'status_code_conformance')).toEqual({
      name: 'status_code_conformance',
      run: 4,
      failed: 3,
    });
  });

  test('warns when most requests answer 401/403, naming the credential variable (and that it is not set)', () => {
    const record = createRecord('jest', selectedChecks({}));
    for (const status of [401, 401, 201]) {
      record.add(event({ status, credentials: ['BEARER_AUTH'], missing: ['BEARER_AUTH'] }));
    }
    expect(record.warnings()).toContain(
      'most requests to POST /pets answered 401/403: set BEARER_AUTH (BEARER_AUTH is not set)',
    );
  });

  test('warns when most requests to an operation with path parameters answer 404, suggesting --path-param', () => {
    const record = createRecord('vitest', selectedChecks({}));
    for (const status of [404, 404, 200]) record.add(event({ operation: 'getPet', status }));
    expect(record.warnings()).toContain(
      'most requests to GET /pets/{petId} answered 404: give real ids with --path-param petId=<id>',
    );
    const other = createRecord('vitest', selectedChecks({}));
    for (const status of [404, 404]) other.add(event({ operation: 'listPets', status }));
    expect(other.warnings()).toEqual([]);
  });

  test('warns about valid inputs the server rejected, and about statuses the spec leaves open, once each', () => {
    const record = createRecord('playwright', selectedChecks({}));
    record.add(event({ status: 400 }));
    record.add(event({ status: 422, check: 'negative_data_rejection' }));
    const text = 'POST /pets answered 422, which it does not declare (declared: 201, 400); …';
    record.add(event({ status: 422, check: 'negative_data_rejection', warnings: [['createPet 422', text]] }));
    record.add(event({ status: 422, check: 'negative_data_rejection', warnings: [['createPet 422', text]] }));
    expect(record.warnings()).toEqual([
      "the server rejected 1 valid input to POST /pets with 4xx: the spec's constraints may differ from the server's",
      text,
    ]);
    expect(record.summaryLines().slice(-3)).toEqual([
      'warnings:',
      "  the server rejected 1 valid input to POST /pets with 4xx: the spec's constraints may differ from the server's",
      `  ${text}`,
    ]);
  });

  test('an unsupported-method step counts for no operation', () => {
    const record = createRecord('vitest', selectedChecks({}));
    record.add(
      event({ status: 405, check: 'unsupported_method', ran: ['not_a_server_error', 'unsupported_method'] }),
    );
    expect(record.coverage().operations[0]?.requests).toBe(0);
    expect(record.coverage().checks.find((check) => check.name === 'unsupported_method')?.run).toBe(1);
  });
});

describe('choosing checks (SPECMINT_CHECKS, SPECMINT_EXCLUDE_CHECKS)', () => {
  test("the runtime's names are the plan's", () => {
    expect([...CHECK_NAMES]).toEqual([...PLAN_CHECK_NAMES]);
    expect([...RUNTIME_OFF]).toEqual([...CHECKS_OFF_BY_DEFAULT]);
  });

  test('by default every check but the off-by-default ones; all; a list; exclusions', () => {
    expect([...selectedChecks({})]).toEqual(
      CHECK_NAMES.filter((name) => name !== 'negative_format_rejection'),
    );
    expect(selectedChecks({ SPECMINT_CHECKS: 'all' }).has('negative_format_rejection')).toBe(true);
    expect([...selectedChecks({ SPECMINT_CHECKS: ' idempotence, negative_format_rejection ' })]).toEqual([
      'idempotence',
      'negative_format_rejection',
    ]);
    const without = selectedChecks({ SPECMINT_EXCLUDE_CHECKS: 'response_schema_conformance' });
    expect(without.has('response_schema_conformance')).toBe(false);
    expect(without.has('not_a_server_error')).toBe(true);
  });

  test('an unknown name is an error that lists the known names', () => {
    expect(() => selectedChecks({ SPECMINT_EXCLUDE_CHECKS: 'schema' })).toThrow(ChecksError);
    expect(() => selectedChecks({ SPECMINT_CHECKS: 'schema,nope' })).toThrow(
      `SPECMINT_CHECKS names unknown checks schema, nope; known checks: ${CHECK_NAMES.join(', ')} (or all)`,
    );
  });

  test('a check that is off is neither run nor failed', () => {
    const outcome = evaluate(
      { operationId: 'createPet', method: 'POST', path: ['/pets'], expect: ['201'] },
      'POST',
      { status: 500, contentType: '', headers: {}, text: '' },
      {
        vars: new Map(),
        snapshots: new Map(),
        checks: selectedChecks({ SPECMINT_EXCLUDE_CHECKS: 'not_a_server_error,status_code_conformance' }),
      },
    );
    expect(outcome.failures.map((failure) => failure.check)).toEqual(['positive_data_acceptance']);
    expect(outcome.ran).not.toContain('not_a_server_error');
  });

  test.each([
    [{}, false],
    [{ CI: 'true' }, true],
    [{ CI: '0' }, false],
    [{ SPECMINT_REPORTS: '1' }, true],
    [{ CI: 'true', SPECMINT_REPORTS: '0' }, false],
  ])('reports with %j: %s', (env, expected) => {
    expect(reportsEnabled(env)).toBe(expected);
  });
});

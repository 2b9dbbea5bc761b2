/**
 * The named checks of the JS-family runtime on one response (cli/engine/render/js-common/runtime/checks.ts), as
 * docs/checks.md states them: an unsupported-method step gets only its own check and not_a_server_error; a
 * lenient status only warns; the checks across steps compare only a response whose status the step expects;
 * response headers are coerced to their schema's type; every failing check is reported.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../../cli/engine/render/js-common/runtime/checks.ts';
import { operations } from '../../../cli/engine/render/js-common/runtime/schemas.ts';
import type { Incoming, StepSpec } from '../../../cli/engine/render/js-common/runtime/specmint.runtime.ts';
import { selectedChecks, type Vars } from '../../../cli/engine/render/js-common/runtime/values.ts';

const PET = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array' } },
};

beforeAll(() => {
  operations.listPets = {
    method: 'GET',
    path: '/pets',
    responses: [
      {
        status: '200',
        contents: [{ mediaType: 'application/json', schema: { type: 'array', items: PET } }],
        headers: [
          { name: 'X-Total', required: true, schema: { type: 'integer', minimum: 0 } },
          { name: 'X-Next', required: false },
        ],
      },
    ],
  };
  operations.getPrice = {
    method: 'GET',
    path: '/price',
    responses: [
      {
        status: '200',
        contents: [{ mediaType: 'application/json', schema: { type: 'number', multipleOf: 0.1 } }],
      },
    ],
  };
  operations.getBlob = {
    method: 'GET',
    path: '/blob',
    responses: [
      {
        status: '200',
        contents: [{ mediaType: 'application/json', schema: { type: 'string', format: 'byte' } }],
      },
    ],
  };
  operations.getPet = {
    method: 'GET',
    path: '/pets/{petId}',
    responses: [
      { status: '200', contents: [{ mediaType: 'application/json', schema: PET }] },
      { status: '404', contents: [] },
    ],
  };
});

const response = (status: number, body: unknown, headers: Record<string, string> = {}): Incoming => {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = text === '' ? '' : 'application/json';
  return {
    status,
    contentType,
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
    text,
  };
};

function failures(
  spec: Partial<StepSpec>,
  reply: Incoming,
  options: { vars?: Vars; snapshots?: Map<string, unknown> } = {},
): { failed: string[]; warnings: string[]; ran: string[] } {
  const step: StepSpec = {
    operationId: 'getPet',
    method: 'GET',
    path: ['/pets/1'],
    expect: ['200'],
    ...spec,
  };
  const outcome = evaluate(step, step.method, reply, {
    vars: options.vars ?? new Map(),
    snapshots: options.snapshots ?? new Map(),
    checks: selectedChecks({}),
  });
  return {
    failed: outcome.failures.map((f) => `${f.check}: ${f.message}`),
    warnings: outcome.warnings.map(([, text]) => text),
    ran: outcome.ran,
  };
}

describe('response_schema_conformance', () => {
  test('multipleOf holds as arithmetic says, not as floating-point division does', () => {
    const price = (value: number) =>
      failures({ operationId: 'getPrice', path: ['/price'] }, response(200, value)).failed;
    // 0.3 / 0.1 is 2.9999999999999996, and Ajv's own test reads 1.2e38 / 0.1 through parseInt as 1.
    for (const value of [0.3, 5.3, 1.2115065038043578e38, 7]) expect(price(value), String(value)).toEqual([]);
    expect(price(0.35)).toEqual([
      'response_schema_conformance: body does not match the 200 response schema of getPrice: body must be multiple of 0.1',
    ]);
  });

  test('byte is RFC 4648 base64 in either alphabet, padded, one alphabet per value', () => {
    const blob = (value: string) =>
      failures({ operationId: 'getBlob', path: ['/blob'] }, response(200, JSON.stringify(value))).failed;
    for (const value of ['U3BlY01pbnQ=', '-_8_-w==', '+/8/+w==', '']) expect(blob(value), value).toEqual([]);
    for (const value of ['+/8-_w==', 'cM5', 'U3Bl\nY01p', 'not base64!']) {
      expect(blob(value), value).toEqual([
        'response_schema_conformance: body does not match the 200 response schema of getBlob: body must match format "byte"',
      ]);
    }
  });
});

describe('unsupported_method', () => {
  const patch = {
    method: 'PATCH',
    operationId: 'listPets',
    expect: ['4XX', '501'],
    check: 'unsupported_method',
  };

  test.each([405, 404, 400, 501])('%i is fine, though the operation does not declare it', (status) => {
    const outcome = failures(patch, response(status, { error: 'no' }));
    expect(outcome.failed).toEqual([]);
    expect(outcome.ran).toEqual(['not_a_server_error', 'unsupported_method']);
  });

  test('a 2xx or another 5xx fails, with no conformance check of the operation', () => {
    expect(failures(patch, response(200, 'not even json')).failed).toEqual([
      'unsupported_method: expected 404, 405, 501 or another 4xx, got 200',
    ]);
    expect(failures(patch, response(503, undefined)).failed).toEqual([
      'not_a_server_error: the server answered 503',
      'unsupported_method: expected 404, 405, 501 or another 4xx, got 503',
    ]);
  });
});

describe('status_code_conformance', () => {
  test('an undeclared status the step lists as lenient warns, once per operation and status, and does not fail', () => {
    const negative = { expect: ['4XX'], check: 'negative_data_rejection', lenient: ['4XX'] };
    const outcome = failures(negative, response(422, { detail: 'bad' }));
    expect(outcome.failed).toEqual([]);
    expect(outcome.warnings).toEqual([
      'GET /pets/{petId} answered 422, which it does not declare (declared: 200, 404); the spec declares no' +
        ' response for this kind of rejection, so this is a warning, not a failure',
    ]);
    expect(failures({ ...negative, lenient: [] }, response(422, {})).failed).toEqual([
      'status_code_conformance: status 422 not declared (declared: 200, 404)',
    ]);
  });

  test('every check that fails is reported, not only the first', () => {
    expect(failures({}, response(201, { id: 'x' })).failed).toEqual([
      'positive_data_acceptance: expected 200, got 201',
      'status_code_conformance: status 201 not declared (declared: 200, 404)',
    ]);
    expect(failures({}, { ...response(200, { id: 'x' }), contentType: 'text/plain' }).failed).toEqual([
      'content_type_conformance: Content-Type text/plain is not declared for 200 (declared: application/json)',
    ]);
  });
});

describe('response_headers_conformance', () => {
  const list = { operationId: 'listPets', path: ['/pets'] };

  test('coerces a header to its type before validating it; a missing optional header is fine', () => {
    expect(failures(list, response(200, [], { 'x-total': '3' })).failed).toEqual([]);
  });

  test('fails on a missing required header and on a value off its schema', () => {
    expect(failures(list, response(200, [])).failed).toEqual([
      'response_headers_conformance: required header X-Total of the 200 response is missing',
    ]);
    expect(failures(list, response(200, [], { 'x-total': '-1' })).failed).toEqual([
      'response_headers_conformance: header X-Total must be >= 0',
    ]);
    expect(failures(list, response(200, [], { 'x-total': 'many' })).failed).toEqual([
      'response_headers_conformance: header X-Total must be integer',
    ]);
  });
});

describe('the checks across steps', () => {
  test('read_after_write compares objects by what was sent, arrays in any order, formats normalised', () => {
    const sent = { bodyEquals: [['', { name: 'Rex', tags: ['b', 'a'] }] as [string, unknown]] };
    expect(failures(sent, response(200, { id: 1, name: 'Rex', tags: ['a', 'b'] })).failed).toEqual([]);
    expect(failures(sent, response(200, { id: 1, name: 'Rex', tags: ['a'] })).failed).toEqual([
      'read_after_write: the body: sent {"name":"Rex","tags":["b","a"]}, read back {"id":1,"name":"Rex","tags":["a"]}',
    ]);
    const when = {
      bodyEquals: [['/at', '2024-01-01T10:00:00+02:00', 'date-time'] as [string, unknown, string]],
    };
    expect(failures(when, response(200, { id: 1, name: 'a', at: '2024-01-01T08:00:00Z' })).failed).toEqual(
      [],
    );
    // The same bytes in base64's other alphabet, or unpadded, are what was sent.
    const blob = { bodyEquals: [['/blob', '+/8/+w==', 'byte'] as [string, unknown, string]] };
    expect(failures(blob, response(200, { id: 1, name: 'a', blob: '-_8_-w' })).failed).toEqual([]);
    expect(failures(blob, response(200, { id: 1, name: 'a', blob: '-_8_-A==' })).failed).toHaveLength(1);
  });

  test('are not run on a status the step does not expect (a 404 body is not compared with what was sent)', () => {
    const outcome = failures({ bodyEquals: [['/name', 'Rex']] }, response(404, undefined));
    expect(outcome.failed).toEqual(['positive_data_acceptance: expected 200, got 404']);
    expect(outcome.ran).not.toContain('read_after_write');
  });

  test('filter_consistency fails on an item with another value; a text filter equals a number', () => {
    const filter = {
      operationId: 'listPets',
      path: ['/pets'],
      itemsMatch: ['', 'id', '2'] as [string, string, unknown],
    };
    const total = { 'x-total': '2' };
    expect(
      failures(
        filter,
        response(
          200,
          [
            { id: 2, name: 'a' },
            { id: 2, name: 'b' },
          ],
          total,
        ),
      ).failed,
    ).toEqual([]);
    expect(
      failures(
        filter,
        response(
          200,
          [
            { id: 2, name: 'a' },
            { id: 3, name: 'b' },
          ],
          total,
        ),
      ).failed,
    ).toEqual(['filter_consistency: /1 has id = 3, but the list was filtered by id = "2"']);
  });

  test('idempotence compares with the kept body, leaving out the pointers that change on every write', () => {
    const snapshots = new Map<string, unknown>([['first', { id: 1, name: 'Rex', updatedAt: 'then' }]]);
    const again = { sameAs: ['first', ['/updatedAt']] as [string, string[]] };
    expect(
      failures(again, response(200, { id: 1, name: 'Rex', updatedAt: 'now' }), { snapshots }).failed,
    ).toEqual([]);
    expect(
      failures(again, response(200, { id: 1, name: 'Max', updatedAt: 'now' }), { snapshots }).failed,
    ).toEqual(['idempotence: repeating the request changed the resource at /name']);
  });
});

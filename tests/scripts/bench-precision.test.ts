/**
 * bench:precision's bookkeeping: which failures are the mock's own errors, and how failures group in classes.
 */
import { describe, expect, test } from 'vitest';
import { classify, failureClass, isMockFailure } from '../../scripts/bench-precision.ts';

describe('isMockFailure', () => {
  const errors = new Set(['GET /render/abc123?x=1', 'POST /things']);

  test("a failure showing Prism's error type is the mock's", () => {
    const text = 'body: {"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","title":"…"}';
    expect(isMockFailure(text, new Set())).toBe(true);
    expect(
      isMockFailure('body: {"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"}', new Set()),
    ).toBe(false);
  });

  test('a failure naming a request that got a mock error, by URL or by path template, is the mock’s', () => {
    expect(isMockFailure('[id] step 1 (GET /render/abc123?x=1): server error 500', errors)).toBe(true);
    expect(
      isMockFailure(
        'render / id · GET /render/{renderId} accepts a valid request: not_a_server_error',
        errors,
      ),
    ).toBe(true);
    expect(isMockFailure('template / id · GET /template/{templateId} accepts', errors)).toBe(false);
    expect(isMockFailure('[id] step 1 (PUT /things): status 500', errors)).toBe(false);
  });
});

describe('failure classes', () => {
  const js =
    'getPet — GET /pets/{id} rejects … [getPet_negative_query_limit_wrong_type]: Error: [getPet_negative_query_limit_wrong_type] step 1 (GET /pets/7?limit=abc): status 422 not declared by getPet (declared: 200, 404)';
  const py =
    'test_getPet_contract_typical: CheckFailure: getPet_contract_typical — GET /pets/{id} accepts&#10;  ✗ response_schema_conformance: body does not match the 200 response schema of getPet: body/name must be string&#10;  request: …';
  const postman =
    'pets / listPets_negative_unsupported_patch · PATCH /pets, which the spec does not declare, is refused: status_code_conformance — listPets_negative_unsupported_patch — PATCH /pets, which …';

  test('name the category, and the check or message with values and names blanked', () => {
    expect(failureClass(js)).toBe('negative: status N not declared by ID (declared: …)');
    expect(failureClass(py)).toBe(
      'contract: response_schema_conformance: body does not match the N response schema of ID body/PATH must be string',
    );
    expect(failureClass(postman)).toBe('negative/unsupported: status_code_conformance');
  });

  test('count failures per class with the specs and formats they came from, most frequent first', () => {
    const row = { tests: 3, suite: 2, mock: 0 };
    const classes = classify([
      { ...row, spec: 'a.json', format: 'vitest', failures: [js, js.replace('422', '400')] },
      { ...row, spec: 'b.json', format: 'postman', failures: [postman] },
    ]);
    expect(classes.map((c) => [c.count, c.key, c.specs, c.formats])).toEqual([
      [2, 'negative: status N not declared by ID (declared: …)', ['a.json'], ['vitest']],
      [1, 'negative/unsupported: status_code_conformance', ['b.json'], ['postman']],
    ]);
    expect(classes[0]!.example).toBe(`a.json (vitest): ${js}`);
  });
});

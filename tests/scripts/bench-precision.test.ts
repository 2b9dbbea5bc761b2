/**
 * bench:precision's bookkeeping: which failures are the mock's own errors, and how failures group in classes.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { prepareSpec } from '../../cli/engine/pipeline.ts';
import { planTests } from '../../cli/engine/plan/plan-tests.ts';
import { classify, failureClass, isMockFailure, sortFailures } from '../../scripts/bench-precision.ts';
import { canonicalJson, specFacts } from '../../scripts/bench-precision-facts.ts';

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

  test("a JS runner's whole message names the check that failed, as pytest's does", () => {
    const detail =
      'getPet — GET /pets/{id} accepts [getPet_contract_typical]: CheckFailure: getPet_contract_typical — GET /pets/{id} accepts\n  ✗ response_schema_conformance: body does not match the 200 response schema of getPet: body/name must be string\n  request:  GET http://127.0.0.1:1/pets/1';
    expect(failureClass(detail)).toBe(
      'contract: response_schema_conformance: body does not match the N response schema of ID body/PATH must be string',
    );
  });

  test('name the category, and the check or message with values and names blanked', () => {
    expect(failureClass(js)).toBe('negative: status N not declared by ID (declared: …)');
    expect(failureClass(py)).toBe(
      'contract: response_schema_conformance: body does not match the N response schema of ID body/PATH must be string',
    );
    expect(failureClass(postman)).toBe('negative/unsupported: status_code_conformance');
  });

  test('count failures per class with the specs and formats they came from, most frequent first', () => {
    const row = { tests: 3, suite: 2, mock: 0, contradiction: 0, explained: [] };
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

describe("failures the spec's facts explain", () => {
  const SPEC = {
    openapi: '3.0.3',
    info: { title: 'Facts', version: '1' },
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } },
                },
              },
            },
            '400': {
              description: 'bad',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { errors: { type: 'array' } } },
                  example: '{"errors": []}',
                },
              },
            },
          },
        },
      },
      '/matrix': {
        post: {
          operationId: 'matrix',
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'object', properties: { points: { type: 'array', items: { type: 'number' } } } },
                    { type: 'object', properties: { from: { type: 'array', items: { type: 'number' } } } },
                  ],
                },
              },
            },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/tags': {
        post: {
          operationId: 'tags',
          requestBody: {
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['tags'],
                  properties: { tags: { type: 'array', minItems: 2, items: { type: 'string' } } },
                },
              },
            },
          },
          responses: { '201': { description: 'ok' } },
        },
      },
      '/files': {
        post: {
          operationId: 'upload',
          requestBody: {
            content: { 'multipart/form-data': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        Order: {
          type: 'object',
          required: ['id', 'comments_count'],
          properties: {
            id: { type: 'integer' },
            side: { type: 'string', enum: [1, 2] },
            state: { type: 'string', enum: ['open', 'closed'] },
          },
        },
      },
    },
  };

  async function facts() {
    const dir = join(import.meta.dirname, '../.tmp/bench-precision');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'facts.json'), JSON.stringify(SPEC));
    const { ir } = await prepareSpec(join(dir, 'facts.json'));
    return specFacts(ir, planTests(ir, { seed: 1, categories: ['contract'] }));
  }
  const none = { mockErrors: new Set<string>(), invalidExamples: new Set<string>() };
  const schemaFailure = (id: string, problems: string) =>
    `test_${id}: CheckFailure: ${id} — GET /orders accepts&#10;  ✗ response_schema_conformance: body does not match the 200 response schema of listOrders: ${problems}&#10;  request:  GET http://127.0.0.1:1/orders`;

  test('are read from the spec: undeclared required properties, values no schema admits, invalid examples, formless forms', async () => {
    const found = await facts();
    expect([...found.undeclaredRequired]).toEqual(['comments_count']);
    const at = (path: string) => found.noValidValueAt({ operationId: 'listOrders', status: '200', path });
    expect([
      at('body/0/side'),
      at('body/*/side'),
      at('body/0/state'),
      at('body/0/id'),
      at('body/side'),
    ]).toEqual([true, true, false, false, false]);
    expect([...found.invalidExamples]).toEqual([canonicalJson('{"errors": []}')]);
    expect([...found.formlessMultipartCases]).toEqual(['upload_contract_typical']);
    expect([...found.overlappingOneOfCases]).toEqual(['matrix_contract_typical']);
    expect([...found.repeatedFieldCases]).toEqual(['tags_contract_typical']);
  });

  test("make a failure the mock's or the spec's only when every problem it shows is explained", async () => {
    const found = await facts();
    const missing = schemaFailure(
      'listOrders_contract_typical',
      "body/0 must have required property 'comments_count'",
    );
    const impossible = schemaFailure('listOrders_contract_typical', 'body/0/side must be string');
    const repeated =
      'test_tags_contract_typical: CheckFailure: tags_contract_typical — …&#10;  ✗ positive_data_acceptance: expected 201, got 422&#10;  ✗ status_code_conformance: status 422 not declared (declared: 201)';
    const mixed = schemaFailure(
      'listOrders_contract_typical',
      "body/0 must have required property 'comments_count'; body/0/id must be integer",
    );
    const served =
      'test_listOrders_negative_x: CheckFailure: …&#10;  ✗ response_schema_conformance: body does not match the 400 response schema of listOrders: body must be object&#10;  request:  GET http://127.0.0.1:1/orders?x=1';
    const overlapping =
      'test_matrix_contract_typical: CheckFailure: matrix_contract_typical — …&#10;  ✗ positive_data_acceptance: expected 200, got 422';
    // The same case failing for another reason stays the suite's.
    const overlappingElse =
      'test_matrix_contract_typical: CheckFailure: matrix_contract_typical — …&#10;  ✗ content_type_conformance: Content-Type text/html is not declared';
    const upload =
      'test_upload_contract_typical: CheckFailure: upload_contract_typical — ✗ positive_data_acceptance: expected 200, got 422';
    const all = [missing, impossible, mixed, served, upload, overlapping, overlappingElse, repeated];
    const { suite, explained } = sortFailures(all, found, {
      ...none,
      invalidExamples: new Set(['GET /orders?x=1']),
    });
    expect(suite).toEqual([mixed, overlappingElse]);
    expect(explained.map((e) => [e.owner, e.reason.split(':')[0]])).toEqual([
      ['mock', 'undeclared required'],
      ['spec', 'no valid value'],
      ['spec', 'invalid example'],
      ['spec', 'formless multipart'],
      ['spec', 'overlapping oneOf'],
      ['mock', 'repeated form field'],
    ]);
  });
});

/**
 * A hand-made plan for the oracle server (oracle-server.ts) that uses every field of the plan's steps the runtimes
 * must honour (lenientStatuses, bodyEquals with formats, itemsMatch, snapshot and sameAs, response headers, notes,
 * a GET with a body, HEAD, 204) — also those today's planner does not emit yet — and says which check of which
 * case must pass or fail there. The Postman and k6 tests run it and compare.
 */
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import type {
  PlanOperation,
  StepExpectation,
  TestCase,
  TestPlan,
  TestStep,
} from '../../../cli/engine/plan/types.ts';

const ITEM = { $ref: '#/components/schemas/Item' };
const ERROR = { $ref: '#/components/schemas/Error' };
const json = (schema: JsonSchema) => [{ mediaType: 'application/json', schema }];

const operation = (
  id: string,
  method: string,
  path: string,
  responses: PlanOperation['responses'],
): PlanOperation => ({ id, method, path, tags: [], responses });

const OPERATIONS: PlanOperation[] = [
  operation('createItem', 'POST', '/items', [
    {
      status: '201',
      contents: json(ITEM),
      headers: [
        { name: 'Location', required: true, schema: { type: 'string' } },
        { name: 'X-Rate-Limit', required: false, schema: { type: 'integer', minimum: 0 } },
      ],
    },
    { status: '401', contents: json(ERROR) },
  ]),
  operation('listItems', 'GET', '/items', [
    {
      status: '200',
      contents: json({ type: 'object', required: ['items'], properties: { items: { type: 'array' } } }),
    },
    { status: '401', contents: json(ERROR) },
  ]),
  operation('getItem', 'GET', '/items/{id}', [
    { status: '200', contents: json(ITEM) },
    { status: '404', contents: json(ERROR) },
    { status: '401', contents: json(ERROR) },
  ]),
  operation('headItem', 'HEAD', '/items/{id}', [{ status: '200', contents: json(ITEM) }]),
  operation('putItem', 'PUT', '/items/{id}', [
    { status: '200', contents: json(ITEM) },
    { status: '401', contents: json(ERROR) },
  ]),
  operation('deleteItem', 'DELETE', '/items/{id}', [{ status: '204', contents: [] }]),
  operation('openPost', 'POST', '/open', [{ status: '201', contents: json(ERROR) }]),
  operation('strict', 'POST', '/strict', [{ status: '201', contents: json(ERROR) }]),
  operation('search', 'GET', '/search', [{ status: '200', contents: json({ type: 'object' }) }]),
  operation('headersBad', 'GET', '/headers-bad', [
    {
      status: '200',
      contents: json({ type: 'object' }),
      headers: [
        { name: 'Location', required: true, schema: { type: 'string' } },
        { name: 'X-Rate-Limit', required: false, schema: { type: 'integer' } },
      ],
    },
  ]),
  operation('broken', 'GET', '/broken', [{ status: '200', contents: json({ type: 'object' }) }]),
  operation('prices', 'GET', '/prices', [
    { status: '200', contents: json({ type: 'array', items: { type: 'number', multipleOf: 0.1 } }) },
  ]),
  operation('codes', 'GET', '/codes', [
    {
      status: '200',
      contents: json({
        type: 'object',
        properties: {
          count: { type: 'integer', format: 'int32' },
          total: { type: 'integer', format: 'int64' },
          digest: { type: 'string', format: 'byte' },
          key: { type: 'string', format: 'byte' },
        },
      }),
    },
  ]),
];

const positive = (status: string[]): StepExpectation => ({
  status,
  check: 'positive_data_acceptance',
  validateBody: true,
});

function step(operationId: string, overrides: Partial<TestStep> = {}): TestStep {
  const op = OPERATIONS.find((o) => o.id === operationId)!;
  return {
    operationId,
    method: op.method,
    path: [op.path],
    query: [],
    headers: {},
    cookies: {},
    auth: { mode: 'valid', schemes: ['oracleAuth'] },
    expect: positive([op.responses[0]!.status]),
    ...overrides,
  };
}

const NEW_ITEM = {
  name: 'Ann',
  when: '2024-01-01T00:00:00Z',
  email: 'ann@example.com',
  tags: ['a', 'b'],
  colour: 'green',
};

function testCase(
  id: string,
  category: TestCase['category'],
  title: string,
  steps: TestStep[],
  tag = 'items',
): TestCase {
  return { id, category, operationId: steps[steps.length - 1]!.operationId, title, tags: [tag], steps };
}

const create = step('createItem', {
  body: { mediaType: 'application/json', kind: 'json', value: NEW_ITEM },
  capture: { id: '/id' },
});
const itemPath = (operationId: string, id: string, query: TestStep['query'] = []) => ({
  path: [`/items/${id}`],
  query,
  operationId,
});

const CASES: TestCase[] = [
  testCase('raw_ok', 'stateful', 'a read after a create returns what was sent, in another notation', [
    create,
    step('getItem', {
      path: ['/items/', { $var: 'id' }],
      expect: {
        ...positive(['200']),
        bodyEquals: [
          { pointer: '/when', equals: '2024-01-01T00:00:00Z', format: 'date-time' },
          { pointer: '/email', equals: 'ann@example.com', format: 'email' },
          { pointer: '/tags', equals: ['a', 'b'] },
          { pointer: '', equals: { name: 'Ann', id: { $var: 'id' } } },
        ],
      },
    }),
  ]),
  testCase('raw_bad', 'stateful', 'a read after a create returns another name', [
    create,
    step('getItem', {
      path: ['/items/', { $var: 'id' }],
      expect: { ...positive(['200']), bodyEquals: [{ pointer: '/name', equals: 'Bob' }] },
    }),
  ]),
  testCase('filter_ok', 'stateful', 'a filtered list holds only matching items', [
    step('listItems', {
      query: [['colour', 'green']],
      expect: {
        ...positive(['200']),
        itemsMatch: { pointer: '/items', property: 'colour', equals: 'green' },
      },
    }),
  ]),
  testCase('filter_bad', 'stateful', 'a filtered list holds another colour', [
    step('listItems', {
      query: [['colour', 'red']],
      expect: { ...positive(['200']), itemsMatch: { pointer: '/items', property: 'colour', equals: 'red' } },
    }),
  ]),
  testCase('put_same', 'stateful', 'a repeated PUT leaves the item as one did', [
    step('putItem', {
      ...itemPath('putItem', 'fixed'),
      body: { mediaType: 'application/json', kind: 'json', value: { name: 'Ann' } },
      snapshot: 'first',
    }),
    step('putItem', {
      ...itemPath('putItem', 'fixed'),
      body: { mediaType: 'application/json', kind: 'json', value: { name: 'Ann' } },
      expect: { ...positive(['200']), sameAs: { snapshot: 'first', ignore: ['/updatedAt'] } },
    }),
  ]),
  testCase('put_drift', 'stateful', 'a repeated PUT changes the item', [
    step('putItem', {
      ...itemPath('putItem', 'drifty', [['drift', '1']]),
      body: { mediaType: 'application/json', kind: 'json', value: { name: 'Ann' } },
      snapshot: 'first',
    }),
    step('putItem', {
      ...itemPath('putItem', 'drifty', [['drift', '1']]),
      body: { mediaType: 'application/json', kind: 'json', value: { name: 'Ann' } },
      expect: { ...positive(['200']), sameAs: { snapshot: 'first', ignore: ['/updatedAt'] } },
    }),
  ]),
  testCase('delete_gone', 'stateful', 'a read after a delete finds nothing', [
    step('putItem', {
      ...itemPath('putItem', 'gone'),
      body: { mediaType: 'application/json', kind: 'json', value: { name: 'Ann' } },
    }),
    step('deleteItem', itemPath('deleteItem', 'gone')),
    step('getItem', {
      ...itemPath('getItem', 'gone'),
      expect: { status: ['404', '410'], check: 'use_after_delete', validateBody: true },
    }),
  ]),
  testCase('delete_stuck', 'stateful', 'a read after a delete still finds the item', [
    step('deleteItem', itemPath('deleteItem', 'stuck')),
    step('getItem', {
      ...itemPath('getItem', 'stuck'),
      expect: { status: ['404', '410'], check: 'use_after_delete', validateBody: true },
    }),
  ]),
  testCase('head_json', 'contract', 'HEAD answers with a JSON Content-Type and no body', [
    step('headItem', itemPath('headItem', 'fixed')),
  ]),
  testCase('unsupported_ok', 'negative', 'PATCH on /items/{id} is not allowed', [
    step('getItem', {
      method: 'PATCH',
      ...itemPath('getItem', 'x'),
      expect: {
        status: ['4XX', '501'],
        check: 'unsupported_method',
        lenientStatuses: ['4XX', '501'],
        validateBody: false,
      },
    }),
  ]),
  testCase('unsupported_bad', 'negative', 'PATCH on /open is answered 200', [
    step('openPost', {
      method: 'PATCH',
      auth: { mode: 'none', schemes: [] },
      expect: {
        status: ['4XX', '501'],
        check: 'unsupported_method',
        lenientStatuses: ['4XX', '501'],
        validateBody: false,
      },
    }),
  ]),
  testCase(
    'strict_lenient',
    'negative',
    'POST /strict rejects an empty body with a status the spec leaves open',
    [
      step('strict', {
        auth: { mode: 'none', schemes: [] },
        body: { mediaType: 'application/json', kind: 'json', value: {} },
        expect: {
          status: ['4XX'],
          check: 'negative_data_rejection',
          lenientStatuses: ['4XX'],
          validateBody: true,
        },
      }),
    ],
    'misc',
  ),
  testCase(
    'search_get_body',
    'contract',
    'GET /search with an API key in the query',
    [
      step('search', {
        auth: { mode: 'valid', schemes: ['queryKey'] },
        body: { mediaType: 'application/json', kind: 'json', value: { q: 'not sent' } },
        note: 'the spec gives GET /search a request body; it is not sent (HTTP clients refuse one)',
      }),
    ],
    'misc',
  ),
  testCase(
    'search_wrong_status',
    'contract',
    'GET /search expected to create something',
    [step('search', { auth: { mode: 'valid', schemes: ['queryKey'] }, expect: positive(['201']) })],
    'misc',
  ),
  testCase(
    'headers_bad',
    'contract',
    'GET /headers-bad answers without its required header',
    [step('headersBad', { auth: { mode: 'none', schemes: [] } })],
    'misc',
  ),
  testCase(
    'broken',
    'contract',
    'GET /broken fails',
    [step('broken', { auth: { mode: 'valid', schemes: ['oracleAuth'] } })],
    'misc',
  ),
  // 0.3 / 0.1 is 2.9999999999999996 in floating point: multipleOf holds as arithmetic says.
  testCase(
    'prices_ok',
    'contract',
    'GET /prices answers multiples of 0.1',
    [step('prices', { auth: { mode: 'none', schemes: [] } })],
    'misc',
  ),
  testCase(
    'prices_bad',
    'contract',
    'GET /prices?odd answers 0.35',
    [step('prices', { auth: { mode: 'none', schemes: [] }, query: [['odd', '1']] })],
    'misc',
  ),
  // OpenAPI's int32 and byte formats are checked alike in every runtime; byte takes either RFC 4648 alphabet.
  testCase(
    'codes_ok',
    'contract',
    'GET /codes answers an int32, an int64 and base64 in both alphabets',
    [step('codes', { auth: { mode: 'none', schemes: [] } })],
    'misc',
  ),
  testCase(
    'codes_bad',
    'contract',
    'GET /codes?odd answers 2^31 for an int32, text that is not base64 and base64 mixing its alphabets',
    [step('codes', { auth: { mode: 'none', schemes: [] }, query: [['odd', '1']] })],
    'misc',
  ),
  testCase('created_ok', 'contract', 'POST /items answers with its headers', [
    step('createItem', { body: { mediaType: 'application/json', kind: 'json', value: NEW_ITEM } }),
  ]),
  ...['green', 'blue', 'pink'].map((colour, index) =>
    testCase(`list_table_${index + 1}`, 'contract', `GET /items?colour=${colour}`, [
      step('listItems', { query: [['colour', colour]] }),
    ]),
  ),
];

/** The oracle plan. */
export const ORACLE_PLAN: TestPlan = {
  planVersion: 2,
  api: { title: 'Oracle API', version: '1.0.0' },
  seed: 1,
  depth: 'quick',
  securitySchemes: {
    oracleAuth: { key: 'oracleAuth', type: 'http', scheme: 'bearer', env: { token: 'ORACLE_AUTH' } },
    queryKey: { key: 'queryKey', type: 'apiKey', in: 'query', name: 'api_key', env: { token: 'QUERY_KEY' } },
  },
  schemas: {
    Item: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        when: { type: 'string', format: 'date-time' },
        email: { type: 'string', format: 'email' },
        tags: { type: 'array', items: { type: 'string' } },
        colour: { type: 'string' },
        version: { type: 'integer' },
        updatedAt: { type: 'string' },
      },
    },
    Error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
  operations: OPERATIONS,
  cases: CASES,
  sampleData: [],
  diagnostics: [],
};

/** Checks that must fail, by case id; every other check of every case must pass. */
export const ORACLE_FAILURES: Record<string, string[]> = {
  raw_bad: ['read_after_write'],
  filter_bad: ['filter_consistency'],
  put_drift: ['idempotence'],
  delete_stuck: ['use_after_delete'],
  // A method the path does not declare belongs to no operation: only its own check (docs/checks.md).
  unsupported_bad: ['unsupported_method'],
  search_wrong_status: ['positive_data_acceptance'],
  headers_bad: ['response_headers_conformance'],
  prices_bad: ['response_schema_conformance'],
  codes_bad: ['response_schema_conformance'],
  broken: ['not_a_server_error', 'positive_data_acceptance', 'status_code_conformance'],
};

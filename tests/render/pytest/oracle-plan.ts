/**
 * Hand-made plans for the pet store SUT (tests/sut) that use every plan-v2 field of a step the planner may not
 * emit yet: read-after-write with formats, a filter, idempotent PUT and DELETE (snapshot / sameAs), use after
 * delete, an unsupported method, a step note on a GET that the spec gives a body, response headers, lenient
 * statuses, and a table of cases that differ only in what they send.
 */
import type { PlanOperation, TestCase, TestPlan, TestStep } from '../../../cli/engine/plan/types.ts';
import { OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';

const AUTH = { mode: 'valid', schemes: ['bearerAuth'] } as const;
const PET = {
  name: 'Rex',
  species: 'dog',
  age: 3,
  status: 'sold',
  birthDate: '2020-02-29',
  tags: ['b', 'a'],
};

function step(
  operationId: string,
  method: string,
  path: TestStep['path'],
  extra: Partial<TestStep>,
): TestStep {
  return {
    operationId,
    method,
    path,
    query: [],
    headers: {},
    cookies: {},
    auth: { ...AUTH, schemes: [...AUTH.schemes] },
    expect: { status: ['200'], check: 'positive_data_acceptance', validateBody: true },
    ...extra,
  };
}

const create = step('createPet', 'POST', ['/pets'], {
  body: { kind: 'json', mediaType: 'application/json', value: PET },
  expect: { status: ['201'], check: 'positive_data_acceptance', validateBody: true },
  capture: { petId: '/id' },
});
const petPath: TestStep['path'] = ['/pets/', { $var: 'petId' }];

function flow(id: string, title: string, steps: TestStep[]): TestCase {
  return { id, category: 'stateful', operationId: steps[0]!.operationId, title, tags: ['pets'], steps };
}

/** Cases that exercise the cross-step checks; all pass against the correct SUT. */
export const ORACLE_CASES: TestCase[] = [
  flow('createPet_read_after_write', 'POST /pets then GET returns what was sent', [
    create,
    step('getPet', 'GET', petPath, {
      expect: {
        status: ['200'],
        check: 'positive_data_acceptance',
        validateBody: true,
        bodyEquals: [
          { pointer: '/name', equals: 'Rex' },
          { pointer: '/birthDate', equals: '2020-02-29', format: 'date' },
          { pointer: '/tags', equals: ['a', 'b'] },
          { pointer: '', equals: { species: 'dog', id: { $var: 'petId' } } },
        ],
      },
    }),
  ]),
  flow('updatePet_read_after_write', 'PUT /pets/{petId} then GET returns what was sent', [
    create,
    step('updatePet', 'PUT', petPath, {
      body: { kind: 'json', mediaType: 'application/json', value: { ...PET, name: 'Max', age: 4 } },
    }),
    step('getPet', 'GET', petPath, {
      expect: {
        status: ['200'],
        check: 'positive_data_acceptance',
        validateBody: true,
        bodyEquals: [
          { pointer: '/name', equals: 'Max' },
          { pointer: '/age', equals: 4 },
        ],
      },
    }),
  ]),
  flow('listPets_filter_status', 'GET /pets?status=sold returns only sold pets', [
    create,
    step('listPets', 'GET', ['/pets'], {
      query: [['status', 'sold']],
      expect: {
        status: ['200'],
        check: 'positive_data_acceptance',
        validateBody: true,
        itemsMatch: { pointer: '/items', property: 'status', equals: 'sold' },
      },
    }),
  ]),
  flow('updatePet_idempotence', 'PUT /pets/{petId} twice leaves the pet as once', [
    create,
    step('updatePet', 'PUT', petPath, {
      body: { kind: 'json', mediaType: 'application/json', value: { ...PET, name: 'Max' } },
      snapshot: 'once',
    }),
    step('updatePet', 'PUT', petPath, {
      body: { kind: 'json', mediaType: 'application/json', value: { ...PET, name: 'Max' } },
      expect: {
        status: ['200'],
        check: 'positive_data_acceptance',
        validateBody: true,
        sameAs: { snapshot: 'once', ignore: ['/createdAt'] },
      },
    }),
  ]),
  flow('deletePet_use_after_delete', 'DELETE /pets/{petId} then GET answers 404', [
    create,
    step('deletePet', 'DELETE', petPath, {
      expect: { status: ['204'], check: 'positive_data_acceptance', validateBody: true },
    }),
    step('getPet', 'GET', petPath, {
      expect: { status: ['404', '410'], check: 'use_after_delete', validateBody: true },
    }),
  ]),
  {
    id: 'getPet_unsupported_patch',
    category: 'negative',
    operationId: 'getPet',
    title: 'PATCH /pets/{petId} is not a declared method',
    tags: ['pets'],
    steps: [
      step('getPet', 'PATCH', ['/pets/1'], {
        expect: { status: ['4XX', '501'], check: 'unsupported_method', validateBody: false },
      }),
    ],
  },
  {
    id: 'listPets_get_body',
    category: 'contract',
    operationId: 'listPets',
    title: 'GET /pets, whose spec gives it a body',
    tags: ['pets'],
    steps: [
      step('listPets', 'GET', ['/pets'], {
        body: { kind: 'json', mediaType: 'application/json', value: { ignored: true } },
        note: 'The spec gives GET /pets a request body; it is not sent (HTTP clients refuse one).',
      }),
    ],
  },
];

/** Three cases that differ only in the query they send: one table. */
export const TABLE_CASES: TestCase[] = ['available', 'pending', 'sold'].map((status) => ({
  id: `listPets_contract_status_${status}`,
  category: 'contract',
  operationId: 'listPets',
  title: `GET /pets?status=${status} answers as declared`,
  tags: ['pets'],
  steps: [step('listPets', 'GET', ['/pets'], { query: [['status', status]] })],
}));

/**
 * The pet store's operations, createPet's 201 declaring headers: `Location` (required; the SUT sends it) and
 * `X-Pet-Version` (an integer the SUT never sends; required when asked).
 */
function withHeaders(operations: PlanOperation[], requireVersion: boolean): PlanOperation[] {
  const headers = [
    { name: 'Location', required: true, schema: { type: 'string', pattern: '^/pets/[0-9]+$' } },
    { name: 'X-Pet-Version', required: requireVersion, schema: { type: 'integer' } },
  ];
  return operations.map((operation) =>
    operation.id !== 'createPet'
      ? operation
      : {
          ...operation,
          responses: operation.responses.map((response) =>
            response.status === '201' ? { ...response, headers } : response,
          ),
        },
  );
}

/** The oracle cases and the table, against the pet store's operations. */
export function oraclePlan(options: { requireVersion?: boolean } = {}): TestPlan {
  return {
    ...structuredClone(OTHER_PETSTORE_PLAN),
    operations: withHeaders(structuredClone(OTHER_PETSTORE_PLAN.operations), options.requireVersion ?? false),
    cases: [...structuredClone(ORACLE_CASES), ...structuredClone(TABLE_CASES)],
  };
}

/** Two reads of pets that do not exist: most requests to getPet answer 404. */
export function unknownIdsPlan(): TestPlan {
  const read = (id: string): TestCase => ({
    id: `getPet_contract_${id}`,
    category: 'contract',
    operationId: 'getPet',
    title: `GET /pets/${id} answers as declared`,
    tags: ['pets'],
    steps: [step('getPet', 'GET', ['/pets/', id], {})],
  });
  return { ...structuredClone(OTHER_PETSTORE_PLAN), cases: [read('424242'), read('424243')] };
}

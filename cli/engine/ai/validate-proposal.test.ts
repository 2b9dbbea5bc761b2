import { beforeAll, describe, expect, test } from 'vitest';
import { loadPetstoreIr } from '../../../tests/ai/petstore-ir.ts';
import type { ApiIr } from '../ir/types.ts';
import { buildOperationContext, createPlanContext } from '../plan/operation-context.ts';
import type { Proposal } from './proposal-schema.ts';
import { normaliseStatus, parseViolates, type Validation, validateProposal } from './validate-proposal.ts';

let ir: ApiIr;
beforeAll(async () => {
  ir = await loadPetstoreIr();
});

function validate(operationId: string, proposal: Partial<Proposal>): Validation {
  const op = ir.operations.find((o) => o.id === operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  const octx = buildOperationContext(createPlanContext(ir, 1), op);
  const full: Proposal = {
    kind: 'positive',
    title: 'a case',
    params: [],
    body: null,
    expectStatus: '200',
    violates: null,
    ...proposal,
  };
  return validateProposal({ ir, octx }, full);
}

const pet = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'Rex', species: 'dog', ...extra });

describe('validateProposal', () => {
  const table: Array<{ name: string; op: string; proposal: Partial<Proposal>; reason?: RegExp }> = [
    {
      name: 'valid positive body',
      op: 'createPet',
      proposal: { body: pet({ age: 3 }), expectStatus: '201' },
    },
    {
      name: 'positive with an invalid body',
      op: 'createPet',
      proposal: { body: pet({ age: 99 }), expectStatus: '201' },
      reason: /positive case is invalid: body/,
    },
    {
      name: 'positive with an undeclared status',
      op: 'createPet',
      proposal: { body: pet(), expectStatus: '200' },
      reason: /not a success status the operation declares \(201\)/,
    },
    {
      name: 'positive without the required body',
      op: 'createPet',
      proposal: { body: null, expectStatus: '201' },
      reason: /required request body is missing/,
    },
    {
      name: 'body that is not JSON',
      op: 'createPet',
      proposal: { body: '{name: Rex}', expectStatus: '201' },
      reason: /not valid JSON/,
    },
    {
      name: 'unknown parameter',
      op: 'listPets',
      proposal: { params: [{ in: 'query', name: 'page', value: '2' }] },
      reason: /unknown parameter query\/page/,
    },
    { name: 'not a status', op: 'listPets', proposal: { expectStatus: 'OK' }, reason: /not an HTTP status/ },
    {
      name: 'negative on one body property',
      op: 'createPet',
      proposal: { kind: 'negative', body: pet({ age: -1 }), expectStatus: '400', violates: 'body/age' },
    },
    {
      name: 'negative: missing required property',
      op: 'createPet',
      proposal: {
        kind: 'negative',
        body: JSON.stringify({ name: 'Rex' }),
        expectStatus: '422',
        violates: 'body/species',
      },
    },
    {
      name: 'negative: missing required body',
      op: 'createPet',
      proposal: { kind: 'negative', body: null, expectStatus: '400', violates: 'body' },
    },
    {
      name: 'negative claiming the wrong property',
      op: 'createPet',
      proposal: { kind: 'negative', body: pet({ age: -1 }), expectStatus: '400', violates: 'body/name' },
      reason: /value at body\/name is valid/,
    },
    {
      name: 'negative with a second violation',
      op: 'createPet',
      proposal: {
        kind: 'negative',
        body: pet({ age: -1, name: '' }),
        expectStatus: '400',
        violates: 'body/age',
      },
      reason: /other violations/,
    },
    {
      name: 'negative that is valid',
      op: 'createPet',
      proposal: { kind: 'negative', body: pet(), expectStatus: '400', violates: 'body/name' },
      reason: /violates nothing/,
    },
    {
      name: 'negative expecting success',
      op: 'createPet',
      proposal: { kind: 'negative', body: pet({ age: -1 }), expectStatus: '201', violates: 'body/age' },
      reason: /must expect a 4xx/,
    },
    {
      name: 'negative without a location',
      op: 'createPet',
      proposal: { kind: 'negative', body: pet({ age: -1 }), expectStatus: '400' },
      reason: /does not name the location/,
    },
    {
      name: 'negative naming the whole body',
      op: 'createPet',
      proposal: { kind: 'negative', body: pet({ age: -1 }), expectStatus: '400', violates: 'body' },
      reason: /name the invalid property/,
    },
    {
      name: 'negative query parameter',
      op: 'listPets',
      proposal: {
        kind: 'negative',
        params: [{ in: 'query', name: 'limit', value: '0' }],
        expectStatus: '400',
        violates: 'query/limit',
      },
    },
    {
      name: 'negative that vanishes on the wire',
      op: 'listPets',
      proposal: {
        kind: 'negative',
        params: [{ in: 'query', name: 'limit', value: '"7"' }],
        expectStatus: '400',
        violates: 'query/limit',
      },
      reason: /violates nothing/,
    },
    {
      name: 'negative with another invalid parameter',
      op: 'listPets',
      proposal: {
        kind: 'negative',
        params: [
          { in: 'query', name: 'limit', value: '0' },
          { in: 'query', name: 'status', value: '"lost"' },
        ],
        expectStatus: '400',
        violates: 'query/limit',
      },
      reason: /also invalid at query\/status/,
    },
    {
      name: 'negative naming an undeclared parameter',
      op: 'listPets',
      proposal: { kind: 'negative', expectStatus: '400', violates: 'query/page' },
      reason: /does not declare/,
    },
    {
      name: 'negative path parameter',
      op: 'getPet',
      proposal: {
        kind: 'negative',
        params: [{ in: 'path', name: 'petId', value: '"abc"' }],
        expectStatus: '4XX',
        violates: 'path/petId',
      },
    },
    {
      name: 'negative unexpected property',
      op: 'createOwner',
      proposal: {
        kind: 'negative',
        body: JSON.stringify({ email: 'a@example.org', name: 'Al', extra: 1 }),
        expectStatus: '400',
        violates: 'body.extra',
      },
    },
  ];

  test.each(table)('$name', ({ op, proposal, reason }) => {
    const result = validate(op, proposal);
    if (reason) {
      expect(result.ok, JSON.stringify(result)).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    } else {
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
  });

  test('accepted cases are built with the planner step builders', () => {
    const positive = validate('getPet', { params: [{ in: 'path', name: 'petId', value: '42' }] });
    if (!positive.ok) throw new Error(positive.reason);
    expect(positive.planned.category).toBe('contract');
    expect(positive.planned.title).toMatch(/^GET \/pets\/\{petId\}: a case$/);
    // The setup step creates the pet and the id it returns replaces the model's 42.
    expect(positive.planned.steps).toHaveLength(2);
    expect(positive.planned.steps[0]?.operationId).toBe('createPet');
    expect(positive.planned.steps[1]?.path).toEqual(['/pets/', { $var: 'petId' }]);
    expect(positive.planned.steps[1]?.auth).toEqual({ mode: 'valid', schemes: ['bearerAuth'] });

    const negative = validate('getPet', {
      kind: 'negative',
      params: [{ in: 'path', name: 'petId', value: '0' }],
      expectStatus: '400',
      violates: 'path/petId',
    });
    if (!negative.ok) throw new Error(negative.reason);
    expect(negative.planned.category).toBe('negative');
    expect(negative.planned.steps.at(-1)?.path).toEqual(['/pets/0']);
    expect(negative.planned.steps.at(-1)?.expect.status).toEqual(['4XX']);

    const body = validate('createOwner', {
      body: JSON.stringify({ email: 'x@example.org', name: 'Xi' }),
      expectStatus: '201',
    });
    if (!body.ok) throw new Error(body.reason);
    expect(body.planned.steps.at(-1)?.body).toEqual({
      mediaType: 'application/json',
      kind: 'json',
      value: { email: 'x@example.org', name: 'Xi' },
    });
    expect(body.planned.steps.at(-1)?.auth).toEqual({ mode: 'valid', schemes: ['apiKeyAuth'] });
  });

  test('titles are one clean line', () => {
    const result = validate('createPet', {
      title: 'line one\nline\u0007 two',
      body: pet(),
      expectStatus: '201',
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.planned.title).toBe('POST /pets: line one line two');
  });
});

describe('helpers', () => {
  test.each([
    ['201', '201'],
    [' 4xx ', '4XX'],
    ['2XX', '2XX'],
    ['600', undefined],
    ['Created', undefined],
  ])('normaliseStatus(%j)', (raw, expected) => {
    expect(normaliseStatus(raw)).toBe(expected);
  });

  test.each([
    ['body/tags/0', { location: 'body', tokens: ['tags', '0'] }],
    ['/body/a~1b', { location: 'body', tokens: ['a/b'] }],
    ['#/query/limit', { location: 'query', tokens: ['limit'] }],
    ['requestBody.name', { location: 'body', tokens: ['name'] }],
    ['', undefined],
  ])('parseViolates(%j)', (raw, expected) => {
    expect(parseViolates(raw)).toEqual(expected);
  });
});

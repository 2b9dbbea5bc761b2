import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { convertOpenApiSchema } from './openapi-schema.ts';
import { loadPetstoreContract } from './petstore-contract.ts';

const request = { view: 'request', refBase: 'r' } as const;
const response = { view: 'response', refBase: 'r' } as const;

describe('convertOpenApiSchema', () => {
  it.each([
    [
      'boolean exclusiveMinimum becomes the bound',
      { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 5 },
      { type: 'number', exclusiveMinimum: 0, maximum: 5 },
    ],
    [
      'false exclusive flags are dropped',
      { type: 'number', maximum: 5, exclusiveMaximum: false },
      { type: 'number', maximum: 5 },
    ],
    ['component refs are rebased', { $ref: '#/components/schemas/Pet' }, { $ref: 'r#/definitions/Pet' }],
    [
      'readOnly properties are forbidden in requests and not required',
      { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer', readOnly: true } } },
      { type: 'object', required: ['name'], properties: { id: false } },
    ],
    [
      'nested items and examples',
      { type: 'array', example: [1], items: { type: 'number', minimum: 1, exclusiveMinimum: true } },
      { type: 'array', items: { type: 'number', exclusiveMinimum: 1 } },
    ],
  ])('%s', (_name, input, expected) => {
    expect(convertOpenApiSchema(input, request)).toEqual(expected);
  });

  it('keeps readOnly properties in responses and forbids writeOnly ones', () => {
    const schema = {
      type: 'object',
      required: ['id', 'secret'],
      properties: { id: { type: 'integer', readOnly: true }, secret: { type: 'string', writeOnly: true } },
    };
    expect(convertOpenApiSchema(schema, response)).toEqual({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'integer', readOnly: true }, secret: false },
    });
  });

  it('keeps nullable, which ajv understands', () => {
    const validate = new Ajv({ strict: false }).compile(
      convertOpenApiSchema({ type: 'string', nullable: true, pattern: '^A$' }, request),
    );
    expect([validate(null), validate('A'), validate('B'), validate(1)]).toEqual([true, true, false, false]);
  });
});

describe('petstore contract', () => {
  const contract = loadPetstoreContract();
  it('checks the Pet response schema', () => {
    const pet = { id: 1, name: 'Rex', species: 'dog', createdAt: '2024-01-01T00:00:00Z' };
    expect(contract.validateResponse('getPet', 200, pet)).toBeNull();
    expect(contract.validateResponse('getPet', 200, { ...pet, age: '3' })).toMatch(/age/);
    expect(contract.validateResponse('getPet', 200, { ...pet, createdAt: 'yesterday' })).toMatch(/createdAt/);
    expect(contract.validateResponse('getPet', 200, { ...pet, weightKg: 0 })).toMatch(/weightKg/);
    expect(contract.validateResponse('getPet', 201, pet)).toMatch(/not declared/);
    expect(contract.validateResponse('deletePet', 204, undefined)).toBeNull();
    expect(contract.validateResponse('deletePet', 204, {})).toMatch(/declares no body/);
    expect(contract.validateResponse('getPet', 404, { code: 'NOT_FOUND' })).toMatch(/message/);
  });

  it('coerces and checks parameters', () => {
    expect(contract.validateParameter('getPet', 'petId', '12')).toBeNull();
    expect(contract.validateParameter('getPet', 'petId', '0')).not.toBeNull();
    expect(contract.validateParameter('listPets', 'limit', '100')).toBeNull();
    expect(contract.validateParameter('listPets', 'status', 'sold')).toBeNull();
    expect(contract.validateParameter('listPets', 'status', 'gone')).not.toBeNull();
  });
});

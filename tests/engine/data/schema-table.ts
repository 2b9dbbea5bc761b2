/**
 * A table of schemas covering every keyword the data stage honours, with the component schemas they
 * reference. Shared by the valid / boundary / violation property tests.
 */
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const TABLE_SCHEMAS: Record<string, JsonSchema> = {
  Address: {
    type: 'object',
    required: ['street', 'city'],
    additionalProperties: false,
    properties: {
      street: { type: 'string', minLength: 3, maxLength: 60 },
      city: { type: 'string', minLength: 1, maxLength: 40 },
      zip: { type: 'string', pattern: '^[0-9]{5}$' },
    },
  },
  Person: {
    type: 'object',
    required: ['id', 'name', 'password', 'email'],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      name: { type: 'string', minLength: 1, maxLength: 20 },
      email: { type: 'string', format: 'email', maxLength: 50 },
      password: { type: 'string', format: 'password', minLength: 8, writeOnly: true },
      age: { type: 'integer', minimum: 0, maximum: 130 },
      address: ref('Address'),
      nickname: { type: ['string', 'null'], maxLength: 10 },
      createdAt: { $ref: '#/components/schemas/Timestamp' },
    },
    example: {
      id: '0b6c59a6-6a2a-4a53-8cf3-6e6b1a6f3c21',
      name: 'Ada',
      email: 'ada@example.com',
      password: 'secret-pw',
    },
  },
  Timestamp: { type: 'string', format: 'date-time', readOnly: true },
  Base: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
  Extended: {
    allOf: [
      ref('Base'),
      { type: 'object', required: ['label'], properties: { label: { type: 'string', maxLength: 8 } } },
    ],
  },
  Cat: {
    type: 'object',
    required: ['petType', 'meows'],
    properties: {
      petType: { type: 'string' },
      meows: { type: 'boolean' },
      lives: { type: 'integer', maximum: 9 },
    },
  },
  Dog: {
    type: 'object',
    required: ['petType', 'bark'],
    properties: { petType: { type: 'string' }, bark: { type: 'string', enum: ['woof', 'yap'] } },
  },
  PetBase: {
    type: 'object',
    required: ['kind'],
    properties: { kind: { type: 'string', enum: ['Lizard', 'Snake', 'PetBase'] } },
    discriminator: { propertyName: 'kind' },
  },
  Lizard: {
    allOf: [ref('PetBase'), { type: 'object', properties: { scales: { type: 'integer', minimum: 1 } } }],
  },
  Node: {
    type: 'object',
    required: ['value', 'children'],
    properties: { value: { type: 'integer' }, children: { type: 'array', items: ref('Node') } },
  },
  LinkedList: {
    type: 'object',
    required: ['value'],
    properties: { value: { type: 'string', maxLength: 5 }, next: ref('LinkedList') },
  },
  Tree: {
    type: 'object',
    properties: { name: { type: 'string' }, left: ref('Tree'), right: ref('Tree'), parent: ref('Tree') },
  },
};

/** Named test schemas: each entry is validated across many seeds. */
export const TABLE: Array<[string, JsonSchema]> = [
  ['any (true)', true],
  ['any ({})', {}],
  ['string', { type: 'string' }],
  ['string lengths', { type: 'string', minLength: 3, maxLength: 5 }],
  ['pattern', { type: 'string', pattern: '^[A-Z]{2}-\\d{3,5}$' }],
  ['pattern with lengths', { type: 'string', pattern: '^[a-z]+$', minLength: 4, maxLength: 12 }],
  ['unanchored pattern', { type: 'string', pattern: '[0-9]' }],
  ['pattern alternatives', { type: 'string', pattern: '^(red|green|blue)-[a-f0-9]{4,8}$', maxLength: 12 }],
  ['lookahead pattern', { type: 'string', pattern: '^(?=.*[0-9])(?=.*[A-Z])[A-Za-z0-9]{6,10}$' }],
  ['unicode pattern', { type: 'string', pattern: '^\\p{Lu}\\p{Ll}+$', maxLength: 12 }],
  ['email', { type: 'string', format: 'email' }],
  ['email with lengths', { type: 'string', format: 'email', minLength: 30, maxLength: 40 }],
  ['uuid', { type: 'string', format: 'uuid' }],
  ['date', { type: 'string', format: 'date' }],
  ['date-time', { type: 'string', format: 'date-time' }],
  ['time', { type: 'string', format: 'time' }],
  ['uri', { type: 'string', format: 'uri', maxLength: 64 }],
  ['url', { type: 'string', format: 'url' }],
  ['uri-reference', { type: 'string', format: 'uri-reference' }],
  ['hostname', { type: 'string', format: 'hostname', minLength: 70, maxLength: 80 }],
  ['ipv4', { type: 'string', format: 'ipv4' }],
  ['ipv6', { type: 'string', format: 'ipv6' }],
  ['byte', { type: 'string', format: 'byte', maxLength: 24 }],
  ['binary', { type: 'string', format: 'binary' }],
  ['password', { type: 'string', format: 'password', minLength: 12 }],
  ['duration', { type: 'string', format: 'duration' }],
  ['unknown format', { type: 'string', format: 'x-custom', maxLength: 6 }],
  ['date with exact length', { type: 'string', format: 'date', minLength: 10, maxLength: 10 }],
  ['integer', { type: 'integer' }],
  ['integer bounds', { type: 'integer', minimum: -5, maximum: 5 }],
  ['negative range', { type: 'integer', maximum: -100 }],
  ['int32', { type: 'integer', format: 'int32' }],
  ['int64 min', { type: 'integer', format: 'int64', minimum: 1 }],
  ['number exclusive', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }],
  ['float', { type: 'number', format: 'float', minimum: -1.5, maximum: 1.5 }],
  ['double', { type: 'number', format: 'double' }],
  ['multipleOf int', { type: 'integer', multipleOf: 7, minimum: 10, maximum: 100 }],
  ['multipleOf cents', { type: 'number', multipleOf: 0.01, minimum: 0, maximum: 10 }],
  ['multipleOf tenth exclusive', { type: 'number', multipleOf: 0.1, exclusiveMinimum: 0.5, maximum: 2 }],
  ['boolean', { type: 'boolean' }],
  ['null', { type: 'null' }],
  ['enum', { type: 'string', enum: ['red', 'green', 'blue'] }],
  ['enum integers', { type: 'integer', enum: [1, 2, 3] }],
  ['nullable enum', { type: ['string', 'null'], enum: ['x', 'y', null] }],
  ['const', { const: 'fixed' }],
  ['const object', { const: { a: 1, b: [true] } }],
  ['type array', { type: ['integer', 'null'], minimum: 3, maximum: 9 }],
  ['type array string/integer', { type: ['string', 'integer'], minLength: 2 }],
  ['nullable ref (anyOf)', { anyOf: [ref('Address'), { type: 'null' }] }],
  ['array unique', { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4, uniqueItems: true }],
  ['array unique enum', { type: 'array', items: { enum: [1, 2, 3] }, minItems: 3, uniqueItems: true }],
  ['array of refs', { type: 'array', items: ref('Address'), minItems: 1, maxItems: 3 }],
  [
    'prefixItems',
    {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'integer', minimum: 5 }],
      items: false,
      minItems: 2,
    },
  ],
  ['contains', { type: 'array', items: { type: 'integer' }, contains: { minimum: 100 }, maxItems: 3 }],
  [
    'object',
    {
      type: 'object',
      required: ['name', 'species'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 40, example: 'Rex' },
        species: { type: 'string', enum: ['dog', 'cat'] },
        age: { type: 'integer', minimum: 0, maximum: 50 },
        weight: { type: 'number', exclusiveMinimum: 0, maximum: 500 },
        tags: { type: 'array', maxItems: 5, items: { type: 'string', minLength: 1, maxLength: 20 } },
        chip: { type: ['string', 'null'], pattern: '^[A-Z]{3}-[0-9]{6}$' },
        born: { type: 'string', format: 'date' },
        owner: ref('Address'),
        score: { type: 'number', multipleOf: 0.5, minimum: 0, maximum: 10 },
        kind: { const: 'pet' },
      },
    },
  ],
  [
    'object min/max properties',
    {
      type: 'object',
      minProperties: 3,
      maxProperties: 4,
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      additionalProperties: { type: 'boolean' },
    },
  ],
  ['map', { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } }],
  [
    'patternProperties',
    {
      type: 'object',
      patternProperties: { '^x-[a-z]+$': { type: 'string' } },
      additionalProperties: false,
      minProperties: 1,
    },
  ],
  ['propertyNames', { type: 'object', propertyNames: { pattern: '^[a-z]{3}$' }, minProperties: 2 }],
  [
    'nested nullable and arrays',
    {
      type: 'object',
      required: ['matrix', 'home'],
      properties: {
        matrix: {
          type: 'array',
          minItems: 1,
          items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } },
        },
        home: { anyOf: [ref('Address'), { type: 'null' }] },
        note: { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] },
        pet: { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'petType' } },
      },
    },
  ],
  ['required without properties', { type: 'object', required: ['x', 'y'] }],
  [
    'dependentRequired',
    {
      type: 'object',
      properties: { card: { type: 'string' }, cvc: { type: 'string', pattern: '^[0-9]{3}$' } },
      required: ['card'],
      dependentRequired: { card: ['cvc'] },
    },
  ],
  ['ref with readOnly/writeOnly', ref('Person')],
  ['allOf ref', ref('Extended')],
  ['allOf strings', { allOf: [{ type: 'string', minLength: 2 }, { maxLength: 4 }, { pattern: '^[a-z]+$' }] }],
  ['allOf numbers', { allOf: [{ type: 'integer', minimum: 0 }, { maximum: 10 }, { multipleOf: 3 }] }],
  ['allOf discriminator base', ref('Lizard')],
  [
    'oneOf discriminator',
    {
      oneOf: [ref('Cat'), ref('Dog')],
      discriminator: { propertyName: 'petType', mapping: { cat: 'Cat', dog: '#/components/schemas/Dog' } },
    },
  ],
  ['oneOf primitives', { oneOf: [{ type: 'string', maxLength: 3 }, { type: 'integer' }] }],
  [
    'oneOf overlapping numbers',
    {
      oneOf: [
        { type: 'integer', maximum: 10 },
        { type: 'integer', minimum: 5 },
      ],
    },
  ],
  [
    'anyOf formats',
    {
      anyOf: [
        { type: 'string', format: 'email' },
        { type: 'string', format: 'uuid' },
      ],
    },
  ],
  [
    'anyOf objects with shared properties',
    {
      type: 'object',
      properties: { id: { type: 'integer', minimum: 1 } },
      required: ['id'],
      anyOf: [{ required: ['a'], properties: { a: { type: 'string' } } }, { required: ['b'] }],
    },
  ],
  ['not enum', { type: 'string', not: { enum: ['forbidden', 'alpha'] } }],
  ['not const', { type: 'integer', minimum: 0, maximum: 3, not: { const: 0 } }],
  ['tree recursion', ref('Node')],
  ['linked list recursion', ref('LinkedList')],
  ['binary tree recursion', ref('Tree')],
  ['valid example', { type: 'string', example: 'good', maxLength: 5 }],
  ['invalid example', { type: 'integer', minimum: 10, example: 3 }],
  ['examples list', { type: 'string', pattern: '^[a-z]+$', examples: ['bad!!', 'fine'] }],
  ['default', { type: 'integer', default: 20, minimum: 1, maximum: 100 }],
  ['invalid default', { type: 'string', format: 'email', default: 'nobody' }],
];

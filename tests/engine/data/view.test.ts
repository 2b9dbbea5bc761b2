/**
 * The response view of `additionalProperties: false` beside `allOf`/`anyOf`/`oneOf` (Codat's lists): the
 * members' properties are allowed, anything else still is not.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { applySchemaView } from '../../../cli/engine/data/view.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';

const schemas: Record<string, JsonSchema> = {
  PagingInfo: {
    type: 'object',
    properties: { pageNumber: { type: 'integer' }, totalResults: { type: 'integer' } },
    required: ['pageNumber'],
  },
};

function validator(schema: JsonSchema) {
  const ajv = new Ajv2020({ strict: false });
  const viewed = applySchemaView(schema, 'response', schemas);
  return ajv.compile({ ...(viewed as object), components: { schemas } });
}

describe('additionalProperties: false beside composed members', () => {
  const list: JsonSchema = {
    additionalProperties: false,
    allOf: [
      { type: 'object', properties: { results: { type: 'array' } } },
      { $ref: '#/components/schemas/PagingInfo' },
    ],
  };

  test("allows the members' properties and still refuses others and the members' own rules", () => {
    const validate = validator(list);
    expect(validate({ results: [], pageNumber: 1, totalResults: 0 })).toBe(true);
    expect(validate({ results: [], pageNumber: 1, extra: true })).toBe(false);
    expect(validate({ results: [], pageNumber: 'one' })).toBe(false);
    expect(validate({ results: [] })).toBe(false);
  });

  test('keeps its own properties and leaves a schema without members as it is', () => {
    const own: JsonSchema = {
      additionalProperties: false,
      properties: { id: { type: 'string' } },
      oneOf: [{ properties: { kind: { const: 'a' } } }],
    };
    expect(validator(own)({ id: 'x', kind: 'a' })).toBe(true);
    const plain: JsonSchema = { additionalProperties: false, properties: { id: { type: 'string' } } };
    expect(applySchemaView(plain, 'response', schemas)).toBe(plain);
  });
});

/**
 * The response view of what authors mean and JSON Schema reads otherwise: `additionalProperties: false`
 * beside `allOf`/`anyOf`/`oneOf` (Codat's lists) allows the members' properties and nothing else, and a
 * `oneOf` without a discriminator (Listen Notes' playlist items) accepts an answer that fits several shapes.
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

describe('oneOf in responses', () => {
  const union: JsonSchema = {
    oneOf: [
      { type: 'object', properties: { title: { type: 'string' } } },
      { type: 'object', properties: { deleted: { type: 'boolean' } } },
    ],
  };

  test('without a discriminator, an answer that fits two shapes passes and one that fits none fails', () => {
    const validate = validator(union);
    expect(validate({ title: 'a' })).toBe(true);
    expect(validate({ title: 1, deleted: 'no' })).toBe(false);
    expect(applySchemaView(union, 'request', schemas)).toBe(union);
  });

  test('with a discriminator, oneOf stays', () => {
    const tagged = { ...(union as object), discriminator: { propertyName: 'kind' } } as JsonSchema;
    expect(applySchemaView(tagged, 'response', schemas)).toBe(tagged);
  });
});

describe('formats in responses', () => {
  test('a format neither JSON Schema nor OpenAPI defines is not checked; a defined one is', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { site: { type: 'string', format: 'url' }, at: { type: 'string', format: 'date-time' } },
    };
    const viewed = applySchemaView(schema, 'response', schemas) as { properties: Record<string, object> };
    expect(viewed.properties.site).toEqual({ type: 'string' });
    expect(viewed.properties.at).toEqual({ type: 'string', format: 'date-time' });
    expect(applySchemaView(schema, 'request', schemas)).toBe(schema);
  });
});

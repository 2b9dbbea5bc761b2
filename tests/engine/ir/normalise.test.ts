import { describe, expect, it } from 'vitest';
import type { BuildContext } from '../../../cli/engine/ir/context.ts';
import { deriveOperationId, sanitizeIdentifier, toUpperSnake } from '../../../cli/engine/ir/naming.ts';
import { SchemaNormaliser } from '../../../cli/engine/ir/schema-normaliser.ts';
import { schemaNameFromRef, schemaRef } from '../../../cli/engine/ir/schema-refs.ts';
import { canonicalHash, canonicalJson } from '../../../cli/engine/spec/canonical-hash.ts';
import { locateJsonPointers } from '../../../cli/engine/spec/json-locator.ts';

function normaliser(components: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const ctx: BuildContext = {
    document: { openapi: '3.0.3', paths: {}, components: { schemas: components }, ...extra },
    family: '3.0',
    origin: 'test.yaml',
    diagnostics: [],
  };
  return { schemas: new SchemaNormaliser(ctx), ctx };
}

describe('schema normalisation (table)', () => {
  const cases: Array<{ name: string; input: unknown; output: unknown; warnings?: string[] }> = [
    {
      name: 'nullable string',
      input: { type: 'string', nullable: true },
      output: { type: ['string', 'null'] },
    },
    {
      name: 'nullable false is dropped',
      input: { type: 'string', nullable: false },
      output: { type: 'string' },
    },
    {
      name: 'nullable type list keeps one null',
      input: { type: ['string', 'null'], nullable: true },
      output: { type: ['string', 'null'] },
    },
    {
      name: 'nullable enum gains null',
      input: { type: 'integer', enum: [1, 2], nullable: true },
      output: { type: ['integer', 'null'], enum: [1, 2, null] },
    },
    {
      name: 'nullable without type → anyOf, annotations outside',
      input: { oneOf: [{ type: 'string' }, { type: 'integer' }], nullable: true, description: 'd', 'x-a': 1 },
      output: {
        anyOf: [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'null' }],
        description: 'd',
        'x-a': 1,
      },
    },
    { name: 'nullable alone stays {}', input: { nullable: true }, output: {} },
    {
      // Twilio's status fields: the referenced enum would refuse the null the author allows.
      name: 'nullable beside a $ref and a type → anyOf with null',
      input: { $ref: '#/components/schemas/Pet', type: 'object', nullable: true, description: 'd' },
      output: {
        anyOf: [{ $ref: '#/components/schemas/Pet', type: 'object' }, { type: 'null' }],
        description: 'd',
      },
    },
    {
      name: 'nullable beside allOf and a type → anyOf with null',
      input: { allOf: [{ enum: ['a'] }], type: 'string', nullable: true },
      output: { anyOf: [{ allOf: [{ enum: ['a'] }], type: 'string' }, { type: 'null' }] },
    },
    {
      name: 'exclusiveMinimum true',
      input: { type: 'number', minimum: 1, exclusiveMinimum: true },
      output: { type: 'number', exclusiveMinimum: 1 },
    },
    {
      name: 'exclusiveMaximum false',
      input: { maximum: 9, exclusiveMaximum: false },
      output: { maximum: 9 },
    },
    { name: 'numeric exclusive bound kept', input: { exclusiveMaximum: 9 }, output: { exclusiveMaximum: 9 } },
    {
      name: 'tuple items → prefixItems',
      input: { items: [{ type: 'string' }], additionalItems: false },
      output: { prefixItems: [{ type: 'string' }], items: false },
    },
    {
      name: 'component $ref',
      input: { $ref: '#/components/schemas/Pet' },
      output: { $ref: '#/components/schemas/Pet' },
    },
    {
      name: 'percent-encoded component $ref',
      input: { $ref: '#/components/schemas/Pet%20Owner' },
      output: { $ref: '#/components/schemas/Pet Owner' },
    },
    {
      name: '$ref with siblings keeps them',
      input: { $ref: '#/components/schemas/Pet', description: 'x' },
      output: { $ref: '#/components/schemas/Pet', description: 'x' },
    },
    {
      name: 'non-component $ref inlined',
      input: { $ref: '#/components/schemas/Pet/properties/name' },
      output: { type: 'string' },
    },
    {
      name: 'non-component $ref with siblings joins allOf',
      input: { $ref: '#/components/schemas/Pet/properties/name', minLength: 1 },
      output: { allOf: [{ type: 'string' }], minLength: 1 },
    },
    {
      name: 'examples map (3.0 misuse) → list',
      input: { examples: { a: { value: 1 }, b: 2 } },
      output: { examples: [1, 2] },
    },
    {
      name: 'extensions and annotations kept',
      input: { 'x-foo': { $ref: 'not-a-ref' }, readOnly: true, xml: { name: 'p' }, example: { $ref: 'x' } },
      output: { 'x-foo': { $ref: 'not-a-ref' }, readOnly: true, xml: { name: 'p' }, example: { $ref: 'x' } },
    },
    { name: 'boolean schema', input: false, output: false },
    {
      name: 'required: true (3.0 mistake) dropped',
      input: { type: 'string', required: true },
      output: { type: 'string' },
      warnings: ['SCHEMA_KEYWORD_INVALID'],
    },
    {
      name: 'unknown type dropped',
      input: { type: 'file' },
      output: {},
      warnings: ['SCHEMA_KEYWORD_INVALID'],
    },
    { name: 'not an object', input: 'string', output: {}, warnings: ['SCHEMA_INVALID'] },
    {
      name: 'broken $ref',
      input: { $ref: '#/components/schemas/Nope/x' },
      output: {},
      warnings: ['REF_NOT_FOUND'],
    },
  ];
  it.each(cases)('$name', ({ input, output, warnings }) => {
    const { schemas, ctx } = normaliser({
      Pet: { type: 'object', properties: { name: { type: 'string' } } },
      'Pet Owner': {},
    });
    expect(schemas.normalise(input, '/x')).toEqual(output);
    expect(ctx.diagnostics.map((d) => d.code)).toEqual(warnings ?? []);
  });

  it('names a circular non-component target once and registers it', () => {
    const { schemas } = normaliser(
      {},
      {
        'x-defs': {
          Tree: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/x-defs/Tree' } } } },
        },
      },
    );
    const result = schemas.normalise({ $ref: '#/x-defs/Tree' }, '/p');
    expect(result).toEqual({ $ref: '#/components/schemas/x_defs_Tree' });
    expect(schemas.schemas).toEqual({
      x_defs_Tree: {
        type: 'object',
        properties: { kids: { type: 'array', items: { $ref: '#/components/schemas/x_defs_Tree' } } },
      },
    });
  });

  it('escapes component names in refs like JSON pointers', () => {
    expect(schemaRef('a/b~c')).toBe('#/components/schemas/a~1b~0c');
    expect(schemaNameFromRef('#/components/schemas/a~1b~0c')).toBe('a/b~c');
    const { schemas } = normaliser({ 'a/b': { type: 'string' } });
    schemas.normaliseComponents();
    expect(schemas.normalise({ $ref: '#/components/schemas/a~1b' }, '/x')).toEqual({
      $ref: '#/components/schemas/a~1b',
    });
    expect(schemas.schemas['a/b']).toEqual({ type: 'string' });
  });
});

describe('naming', () => {
  it.each([
    ['bearerAuth', 'BEARER_AUTH'],
    ['basicAuth', 'BASIC_AUTH'],
    ['api_key', 'API_KEY'],
    ['petstore-auth', 'PETSTORE_AUTH'],
    ['OAuth2', 'O_AUTH2'],
    ['HTTPBasic', 'HTTP_BASIC'],
    ['apiKey2', 'API_KEY2'],
    ['x.token', 'X_TOKEN'],
    ['2fa', '_2FA'],
    ['', 'API'],
  ])('toUpperSnake(%j) = %j', (input, output) => expect(toUpperSnake(input)).toBe(output));

  it.each([
    ['listPets', 'listPets'],
    ['pets.list', 'pets_list'],
    ['Get Pets!', 'Get_Pets'],
    ['2fa-codes', 'op_2fa_codes'],
    ['café', 'cafe'],
    ['---', ''],
  ])('sanitizeIdentifier(%j) = %j', (input, output) => expect(sanitizeIdentifier(input)).toBe(output));

  it.each([
    ['get', '/pets/{petId}', 'get_pets_petId'],
    ['get', '/', 'get_root'],
    ['post', '/v1/users/{id}/avatar.png', 'post_v1_users_id_avatar_png'],
    ['get', '/2fa', 'get_2fa'],
  ])('deriveOperationId(%s, %s) = %s', (method, path, id) =>
    expect(deriveOperationId(method, path)).toBe(id),
  );
});

describe('canonical JSON and hash', () => {
  it('orders keys (array indexes first, then code units) at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined }, '10': 0, '9': 0, B: 0 })).toBe(
      '{"9":0,"10":0,"B":0,"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });
  it('is independent of key order and sensitive to content', () => {
    expect(canonicalHash({ a: 1, b: [1, 2] })).toBe(canonicalHash({ b: [1, 2], a: 1 }));
    expect(canonicalHash({ a: 1, b: [1, 2] })).not.toBe(canonicalHash({ a: 1, b: [2, 1] }));
    expect(canonicalHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
  it('keeps a `__proto__` member, in order, whether or not its object needed sorting', () => {
    const sorted = JSON.parse('{"__proto__":{"b":1,"a":2},"x":1}');
    const unsorted = JSON.parse('{"x":1,"__proto__":{"a":2}}');
    expect(canonicalJson(sorted)).toBe('{"__proto__":{"a":2,"b":1},"x":1}');
    expect(canonicalJson(unsorted)).toBe('{"__proto__":{"a":2},"x":1}');
  });
  it('writes what a plain recursive serialiser with the documented key order writes', () => {
    const isIndex = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
    const reference = (value: unknown): string => {
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined);
      const order = [
        ...keys.filter(isIndex).sort((x, y) => Number(x) - Number(y)),
        ...keys.filter((key) => !isIndex(key)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
      ];
      return `{${order.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(',')}}`;
    };
    let state = 7;
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const KEYS = ['b', 'a', '10', '9', 'B', 'é', '$ref', '0', 'a b', '01'];
    const value = (depth: number): unknown => {
      const pick = Math.floor(next() * (depth > 4 ? 4 : 7));
      if (pick === 0) return Math.floor(next() * 100) - 50;
      if (pick === 1) return ['x', '', 'line\nbreak', '\u2028'][Math.floor(next() * 4)];
      if (pick === 2) return next() < 0.5 ? null : true;
      if (pick === 3) return undefined;
      if (pick === 4) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 6); i > 0; i--)
        out[KEYS[Math.floor(next() * KEYS.length)] as string] = value(depth + 1);
      return out;
    };
    for (let i = 0; i < 300; i++) {
      const sample = { root: value(0) };
      expect(canonicalJson(sample)).toBe(reference(sample));
    }
  });
});

describe('JSON pointer → line', () => {
  const text = '{\n  "a": {\n    "b/c": [\n      1,\n      {"d": "x\\"y"}\n    ]\n  },\n  "e": true\n}';
  it('finds keys and array elements; misses are absent', () => {
    const found = locateJsonPointers(
      text,
      new Set(['', '/a', '/a/b~1c', '/a/b~1c/1', '/a/b~1c/1/d', '/e', '/nope']),
    );
    expect(Object.fromEntries(found)).toEqual({
      '': { line: 1, column: 1 },
      '/a': { line: 2, column: 3 },
      '/a/b~1c': { line: 3, column: 5 },
      '/a/b~1c/1': { line: 5, column: 7 },
      '/a/b~1c/1/d': { line: 5, column: 8 },
      '/e': { line: 8, column: 3 },
    });
  });
});

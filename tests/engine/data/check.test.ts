import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { conforms } from '../../../cli/engine/data/check.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import { createValidator } from './ajv-harness.ts';
import { TABLE_SCHEMAS } from './schema-table.ts';

/** [schema, values]: the internal checker must agree with Ajv on every value. */
const CASES: Array<[string, JsonSchema, unknown[]]> = [
  ['multipleOf float', { multipleOf: 0.1 }, [0.3, 0.6, 0.8, 1, 0.7, 2.2]],
  ['multipleOf cents', { multipleOf: 0.01 }, [0.07, 0.29, 1.15, 19.99]],
  ['code point length', { type: 'string', minLength: 2, maxLength: 2 }, ['😀😀', '😀', 'ab', 'abc', 'é']],
  ['integer', { type: 'integer' }, [1, 1.0, 1.5, '1', null, 2 ** 60]],
  ['date', { format: 'date' }, ['2024-02-29', '2023-02-29', '2024-13-01', 'x', 5]],
  ['time', { format: 'time' }, ['10:00:00Z', '10:00:00', '25:00:00Z', '10:00:00+01:00']],
  [
    'date-time',
    { format: 'date-time' },
    ['2024-01-01T10:00:00Z', '2024-01-01 10:00:00Z', '2024-01-01T10:00:00'],
  ],
  ['email', { format: 'email' }, ['a@b.co', 'nope', 'a@b']],
  ['uri', { format: 'uri' }, ['https://x.io/a', 'not a uri', 'mailto:a@b.c', 'relative/path']],
  ['url', { format: 'url' }, ['https://example.com/x', 'https://10.0.0.1/', 'ftp://a.bc']],
  ['hostname', { format: 'hostname' }, ['a.example.com', '-bad', `${'a'.repeat(64)}.com`]],
  [
    'ipv4/ipv6',
    { anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }], type: 'string' },
    ['1.2.3.4', '::1', '999.1.1.1'],
  ],
  ['byte', { format: 'byte' }, ['YWJj', 'YWI=', 'abc', 'not base64!']],
  ['int32', { type: 'integer', format: 'int32' }, [2 ** 31 - 1, 2 ** 31, -(2 ** 31)]],
  ['unknown format', { format: 'x-whatever' }, ['anything', 1]],
  [
    'uniqueItems',
    { uniqueItems: true },
    [
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [1, '1'],
      [[1], [1]],
    ],
  ],
  ['enum deep', { enum: [{ a: [1, 2] }, null] }, [{ a: [1, 2] }, { a: [2, 1] }, null]],
  [
    'prefixItems',
    { prefixItems: [{ type: 'string' }], items: { type: 'integer' } },
    [['a', 1, 2], [1], ['a', 'b']],
  ],
  [
    'contains',
    { contains: { type: 'integer' }, minContains: 2, maxContains: 3 },
    [[1, 2], [1], [1, 2, 3, 4], 'x'],
  ],
  ['oneOf exactly one', { oneOf: [{ type: 'integer' }, { minimum: 5 }] }, [1, 7, 7.5, 'x']],
  ['not', { not: { type: 'string' } }, ['a', 1]],
  [
    'if/then/else', // Built from entries: a literal `then` key trips the linter's thenable check.
    Object.fromEntries([
      ['if', { minimum: 10 }],
      ['then', { multipleOf: 5 }],
      ['else', { maximum: 3 }],
    ]) as JsonSchema,
    [15, 12, 2, 5],
  ],
  [
    'patternProperties + additionalProperties',
    { patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false },
    [{ 'x-a': 'b' }, { 'x-a': 1 }, { y: 1 }],
  ],
  ['propertyNames', { propertyNames: { maxLength: 2 } }, [{ ab: 1 }, { abc: 1 }]],
  ['dependentRequired', { dependentRequired: { a: ['b'] } }, [{ a: 1 }, { a: 1, b: 2 }, { b: 1 }]],
  ['dependentSchemas', { dependentSchemas: { a: { required: ['c'] } } }, [{ a: 1 }, { a: 1, c: 1 }]],
  [
    'ref',
    { $ref: '#/components/schemas/Address' },
    [
      { street: 'Main', city: 'X' },
      { street: 'M', city: 'X' },
    ],
  ],
  ['boolean schemas', { properties: { a: false, b: true } }, [{ a: 1 }, { b: 1 }, {}]],
  ['min/max properties', { minProperties: 1, maxProperties: 2 }, [{}, { a: 1 }, { a: 1, b: 2, c: 3 }]],
  ['exclusive bounds', { exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0, 0.5, 1]],
  ['unanchored pattern', { pattern: 'b+' }, ['abc', 'ac', 5]],
  // The checker tests patterns without the `u` flag where that means the same (so V8 can finish a runaway
  // match in linear time); these are the cases where it would not, and must agree with Ajv's `u` flag.
  ['pattern: dot over astral characters', { pattern: '^.{2}$' }, ['😀😀', '😀', 'ab', 'a😀']],
  ['pattern: negated class over astral', { pattern: '^[^a]$' }, ['😀', 'b', 'a']],
  ['pattern: astral literal', { pattern: '^a😀?$' }, ['a', 'a😀', 'a\ud83d']],
  ['pattern: escaped surrogate pair', { pattern: '^a\\ud83d\\ude00?$' }, ['a', 'a😀']],
  ['pattern: code point escape', { pattern: '^\\u{41}$' }, ['A', 'u'.repeat(41)]],
  ['pattern: property escape', { pattern: '^\\p{Lu}+$' }, ['ABC', 'abc', 'p{Lu}']],
  ['pattern: nested quantifier', { pattern: '^([a-z]+)*\\/?$' }, ['abc/', 'abc%', 'a/b']],
];

describe('conforms (internal checker) agrees with Ajv', () => {
  const validator = createValidator(TABLE_SCHEMAS);
  it.each(CASES)('%s', (_name, schema, values) => {
    for (const value of values) {
      const expected = validator.validate(schema, value).valid;
      expect(conforms(schema, value, { schemas: TABLE_SCHEMAS }), JSON.stringify(value)).toBe(expected);
    }
  });

  it('finishes a runaway match: a nested quantifier against a long value it does not match', () => {
    // beezup.com's URL pattern against its own example never returned (2^n backtracking steps). In a child
    // process, so a regression fails at the time limit instead of hanging the test run.
    const pattern = '^(https?:\\/\\/)?([\\da-z\\.-]+)\\.([a-z\\.]{2,6})([\\/\\w \\.-]*)*\\/?$';
    const value = 'https://upload.wikimedia.org/wikipedia/commons/thumb/e/e5/Marlon_Brando_%28cropped%29.jpg';
    const script = [
      `import { conforms } from ${JSON.stringify(pathToFileURL(resolve('cli/engine/data/check.ts')).href)};`,
      `const schema = { type: 'string', pattern: ${JSON.stringify(pattern)} };`,
      `process.stdout.write(JSON.stringify([${JSON.stringify(value)}, 'http://a.example.com/b c'].map((v) => conforms(schema, v, { schemas: {} }))));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('[false,true]');
  });

  it('treats properties hidden in the view as not required', () => {
    const person = { $ref: '#/components/schemas/Person' };
    const body = { name: 'Ada', email: 'a@example.com', password: 'long-enough' };
    expect(conforms(person, body, { schemas: TABLE_SCHEMAS })).toBe(false);
    expect(conforms(person, body, { schemas: TABLE_SCHEMAS, view: 'request' })).toBe(true);
    expect(conforms(person, body, { schemas: TABLE_SCHEMAS, view: 'response' })).toBe(false);
  });
});

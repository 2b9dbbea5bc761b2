/**
 * Unit tests of the k6 runtime's pure functions (runtime/specmint-compare.js): its own JSON Schema validator (k6
 * loads no npm package), read_after_write's comparison and idempotence's difference; and its check names. The module is bundled with
 * the k6 shims, as the tests run it, and imported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { CHECK_NAMES, CHECKS_OFF_BY_DEFAULT } from '../../../cli/engine/plan/types.ts';
import { TMP_ROOT } from '../pytest/write-files.ts';

const RUNTIME_DIR = resolve(import.meta.dirname, '../../../cli/engine/render/k6/runtime');
const SHIMS: Record<string, string> = {
  k6: resolve(import.meta.dirname, 'shim-k6.ts'),
  'k6/http': resolve(import.meta.dirname, 'shim-http.ts'),
  'k6/encoding': resolve(import.meta.dirname, 'shim-encoding.ts'),
  'k6/metrics': resolve(import.meta.dirname, 'shim-metrics.ts'),
};

interface Runtime {
  CHECK_NAMES: string[];
  CHECKS_OFF_BY_DEFAULT: string[];
  schemaProblems(schema: unknown, value: unknown, where: string, schemas: Record<string, unknown>): string[];
  holds(expected: unknown, actual: unknown, format?: string): boolean;
  firstDifference(a: unknown, b: unknown, ignore: string[]): string | undefined;
}

let runtime: Runtime;

beforeAll(async () => {
  const dir = join(TMP_ROOT, 'k6-runtime-unit');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'runtime.mjs');
  const entry = join(dir, 'entry.mjs');
  writeFileSync(
    entry,
    `export * from ${JSON.stringify(join(RUNTIME_DIR, 'specmint-compare.js'))};\n` +
      `export { CHECK_NAMES, CHECKS_OFF_BY_DEFAULT } from ${JSON.stringify(join(RUNTIME_DIR, 'specmint-runtime.js'))};\n`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    plugins: [
      {
        name: 'k6-shims',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => ({ path: SHIMS[args.path]! }));
        },
      },
    ],
  });
  (globalThis as { __ENV?: Record<string, string> }).__ENV = {};
  runtime = (await import(pathToFileURL(outfile).href)) as Runtime;
}, 60_000);

const SCHEMAS = {
  Pet: {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'integer', minimum: 1 },
      name: { type: 'string', maxLength: 3 },
      tag: { type: ['string', 'null'] },
    },
    additionalProperties: false,
  },
};

test("the runtime knows the plan's checks by the same names", () => {
  expect(runtime.CHECK_NAMES).toEqual([...CHECK_NAMES]);
  expect(runtime.CHECKS_OFF_BY_DEFAULT).toEqual([...CHECKS_OFF_BY_DEFAULT]);
});

describe('schemaProblems', () => {
  test.each([
    ['a valid object through $ref', { $ref: '#/components/schemas/Pet' }, { id: 1, name: 'Rex' }, []],
    [
      'a wrong type',
      { $ref: '#/components/schemas/Pet' },
      { id: '1', name: 'Rex' },
      ['body/id must be integer (is string)'],
    ],
    [
      'a missing required property',
      { $ref: '#/components/schemas/Pet' },
      { name: 'Rex' },
      ['body must have required property id'],
    ],
    [
      'an extra property',
      { $ref: '#/components/schemas/Pet' },
      { id: 1, name: 'Rex', x: 1 },
      ['body must not have additional property x'],
    ],
    [
      'bounds and lengths',
      { $ref: '#/components/schemas/Pet' },
      { id: 0, name: 'Rexy' },
      ['body/id must be >= 1', 'body/name must have at most 3 characters'],
    ],
    ['a nullable type array', { $ref: '#/components/schemas/Pet' }, { id: 1, name: 'R', tag: null }, []],
    ['integer is not a fraction', { type: 'integer' }, 1.5, ['body must be integer (is number)']],
    ['enum', { enum: ['a', 'b'] }, 'c', ['body must be one of ["a","b"]']],
    ['const', { const: 3 }, 3, []],
    [
      'exclusive bounds (2020-12 numbers)',
      { exclusiveMinimum: 0, exclusiveMaximum: 10 },
      0,
      ['body must be > 0'],
    ],
    ['multipleOf', { multipleOf: 0.5 }, 1.25, ['body must be a multiple of 0.5']],
    ['pattern', { pattern: '^[A-Z]{3}$' }, 'abc', ['body must match ^[A-Z]{3}$']],
    ['format date-time', { format: 'date-time' }, '2024-13-01T00:00:00Z', ['body must be a valid date-time']],
    ['format email', { format: 'email' }, 'ann@example.com', []],
    ['an unknown format is not checked', { format: 'password' }, 'x', []],
    ['format int32 (in range)', { type: 'integer', format: 'int32' }, 2 ** 31 - 1, []],
    [
      'format int32 (out of range)',
      { type: 'integer', format: 'int32' },
      2 ** 31,
      ['body must be a valid int32'],
    ],
    ['format int64 is any integer', { type: 'integer', format: 'int64' }, 2 ** 40, []],
    ['a number format leaves strings alone', { format: 'int32' }, 'x', []],
    ['format byte (base64)', { type: 'string', format: 'byte' }, 'U3BlY01pbnQ=', []],
    ['format byte (not base64)', { type: 'string', format: 'byte' }, 'cM5', ['body must be a valid byte']],
    ['format byte (URL-safe base64)', { type: 'string', format: 'byte' }, '-_8_-w==', []],
    [
      'format byte (mixed alphabets)',
      { type: 'string', format: 'byte' },
      '+/8-_w==',
      ['body must be a valid byte'],
    ],
    [
      'items and minItems',
      { type: 'array', minItems: 2, items: { type: 'string' } },
      [1],
      ['body must have at least 2 items', 'body/0 must be string (is number)'],
    ],
    [
      'prefixItems',
      { prefixItems: [{ type: 'string' }], items: { type: 'integer' } },
      ['a', 1, 'b'],
      ['body/2 must be integer (is string)'],
    ],
    [
      'allOf',
      { allOf: [{ required: ['a'] }, { required: ['b'] }] },
      { a: 1 },
      ['body must have required property b'],
    ],
    ['anyOf', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, true, ['body must match one of anyOf']],
    [
      'oneOf matching two',
      { oneOf: [{ type: 'integer' }, { type: 'number' }] },
      1,
      ['body must match exactly one of oneOf (matches 2)'],
    ],
    ['not', { not: { type: 'string' } }, 'x', ['body must not match the schema in not']],
    ['false schema', false, 1, ['body must not be present']],
  ])('%s', (_name, schema, value, problems) => {
    expect(runtime.schemaProblems(schema, value, 'body', SCHEMAS)).toEqual(problems);
  });
});

describe('holds (read_after_write)', () => {
  test.each([
    [
      'the same instant in another notation',
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.000+00:00',
      'date-time',
      true,
    ],
    ['another instant', '2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', 'date-time', false],
    ['an email domain in capitals', 'ann@example.com', 'ann@EXAMPLE.COM', 'email', true],
    ['an email user in capitals', 'ann@example.com', 'ANN@example.com', 'email', false],
    ['arrays in any order', ['a', 'b'], ['b', 'a'], undefined, true],
    ['arrays of another length', ['a'], ['a', 'a'], undefined, false],
    ['objects by the properties sent', { name: 'Ann' }, { name: 'Ann', id: 1 }, undefined, true],
    ['numbers by value', 3, 3.0, undefined, true],
    ['no format: exact', 'Ann', 'ann', undefined, false],
  ])('%s', (_name, expected, actual, format, result) => {
    expect(runtime.holds(expected, actual, format)).toBe(result);
  });
});

describe('firstDifference (idempotence)', () => {
  test.each([
    ['equal bodies', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }, [], undefined],
    ['an ignored property', { a: 1, at: 't1' }, { a: 1, at: 't2' }, ['/at'], undefined],
    ['a changed property', { a: 1, b: 2 }, { a: 1, b: 3 }, [], '/b'],
    ['a new property', { a: 1 }, { a: 1, c: 1 }, [], '/c'],
    ['inside an array', { l: [1, 2] }, { l: [1, 3] }, [], '/l/1'],
  ])('%s', (_name, a, b, ignore, pointer) => {
    expect(runtime.firstDifference(a, b, ignore as string[])).toBe(pointer);
  });
});

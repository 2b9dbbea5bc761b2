import { describe, expect, it } from 'vitest';
import { createRng } from '../../../cli/engine/data/rng.ts';
import {
  type SynthContext,
  synthesizeValid,
  synthesizeViolations,
  type ViolationKind,
} from '../../../cli/engine/data/synthesize.ts';
import type { JsonSchema, JsonSchemaObject } from '../../../cli/engine/ir/types.ts';
import { createValidator } from './ajv-harness.ts';
import { TABLE, TABLE_SCHEMAS } from './schema-table.ts';
import { expectViolation, fromWire } from './violation-checks.ts';

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const validator = createValidator(TABLE_SCHEMAS, 'request');

function ctx(seed: number): SynthContext {
  return { schemas: TABLE_SCHEMAS, rng: createRng(seed), view: 'request' };
}

function violations(schema: JsonSchema, wire: 'json' | 'string', seed = 1, value?: unknown) {
  const valid = value === undefined ? synthesizeValid(schema, ctx(seed)) : value;
  return synthesizeViolations(schema, valid, { ...ctx(seed), rng: createRng(seed).fork('neg'), wire });
}

const kinds = (schema: JsonSchema, wire: 'json' | 'string' = 'json', value?: unknown): Set<ViolationKind> =>
  new Set(violations(schema, wire, 1, value).map((v) => v.kind));

const entry = (name: string): JsonSchema => {
  const found = TABLE.find(([n]) => n === name);
  if (!found) throw new Error(`no table entry ${name}`);
  return found[1];
};

function isScalar(schema: JsonSchema): boolean {
  const types = typeof schema === 'object' && schema.type ? ([] as string[]).concat(schema.type) : [];
  return (
    types.length > 0 && types.every((t) => ['string', 'integer', 'number', 'boolean', 'null'].includes(t))
  );
}

describe('synthesizeViolations', () => {
  it.each(TABLE)(
    '%s: every violation fails ajv at its pointer for its reason (50 seeds, json)',
    (name, schema) => {
      for (const seed of SEEDS) {
        for (const v of violations(schema, 'json', seed))
          expectViolation(validator, schema, v, `${name} seed ${seed}`);
      }
    },
  );

  it.each(TABLE.filter(([, s]) => isScalar(s)))(
    '%s: string-wire violations survive String()',
    (name, schema) => {
      const types = ([] as string[]).concat((schema as JsonSchemaObject).type ?? []);
      for (const seed of SEEDS) {
        for (const v of violations(schema, 'string', seed)) {
          expect(v.kind).not.toBe('null-not-allowed');
          expect(typeof v.value === 'object' && v.value !== null && !Array.isArray(v.value)).toBe(false);
          if (types.includes('string')) expect(v.kind).not.toBe('wrong-type');
          expectViolation(validator, schema, v, `${name} seed ${seed}`);
          expect(validator.validate(schema, fromWire(v.value, types)).valid, `${name} ${v.label}`).toBe(
            false,
          );
        }
      }
    },
  );

  it('is deterministic', () => {
    for (const [, schema] of TABLE)
      expect(violations(schema, 'json', 4)).toEqual(violations(schema, 'json', 4));
  });

  it('covers every kind on a rich object, each complete and labelled', () => {
    const schema = entry('object');
    const all = violations(schema, 'json', 1, { name: 'Rex', species: 'dog' });
    expect(new Set(all.map((v) => v.kind))).toEqual(
      new Set<ViolationKind>([
        'missing-required',
        'wrong-type',
        'null-not-allowed',
        'enum',
        'pattern',
        'format',
        'below-minimum',
        'above-maximum',
        'too-short',
        'too-long',
        'too-many-items',
        'multiple-of',
        'const',
        'additional-property',
      ]),
    );
    const byLabel = new Map(all.map((v) => [v.label, v]));
    expect(byLabel.get('missing required property "species"')?.value).toEqual({ name: 'Rex' });
    expect(byLabel.get('missing required property "species"')?.pointer).toBe('');
    expect(byLabel.get('name longer than maxLength 40')?.pointer).toBe('/name');
    expect(byLabel.get('name longer than maxLength 40')?.value).toMatchObject({
      name: expect.stringMatching(/^.{41}$/),
    });
    expect(byLabel.get('age -1 below minimum 0')?.value).toMatchObject({
      name: 'Rex',
      species: 'dog',
      age: -1,
    });
    expect(byLabel.get('weight 0 below exclusive minimum 0')?.value).toMatchObject({ weight: 0 });
    expect(byLabel.get('unexpected additional property "unexpectedProperty"')?.pointer).toBe('');
    // Nested one level: the referenced Address object.
    expect(
      all.some((v) => v.pointer === '/owner' && v.label === 'missing required property "street" in owner'),
    ).toBe(true);
    expect(all.some((v) => v.pointer === '/owner/zip' && v.kind === 'pattern')).toBe(true);
    expect(all.some((v) => v.pointer === '/owner' && v.kind === 'additional-property')).toBe(true);
  });

  it('orders missing properties first, then constraint violations, then wrong types and nulls', () => {
    const order = violations(entry('object'), 'json', 1, { name: 'Rex', species: 'dog' }).map((v) => v.kind);
    const tier = (k: ViolationKind) =>
      k === 'missing-required'
        ? 0
        : k === 'additional-property'
          ? 1
          : k === 'wrong-type'
            ? 3
            : k === 'null-not-allowed'
              ? 4
              : 2;
    expect(order.map(tier)).toEqual([...order.map(tier)].sort((a, b) => a - b));
    expect(order[0]).toBe('missing-required');
  });

  it('keeps a too-long string matching its pattern, and skips what cannot be isolated', () => {
    const pattern = violations({ type: 'string', pattern: '^[a-z]+$', minLength: 4, maxLength: 12 }, 'json');
    const long = pattern.find((v) => v.kind === 'too-long');
    expect(long?.value).toMatch(/^[a-z]{13}$/);
    // A fixed-length pattern cannot be too long while matching, so there is no too-long case.
    expect(kinds({ type: 'string', pattern: '^[0-9]{5}$', maxLength: 5 })).not.toContain('too-long');
  });

  it('produces scalar violations for parameters sent as strings', () => {
    const limit = violations({ type: 'integer', minimum: 1, maximum: 100 }, 'string', 1, 20);
    expect(limit.map((v) => [v.kind, v.label, v.value])).toEqual([
      ['below-minimum', '0 below minimum 1', 0],
      ['above-maximum', '101 above maximum 100', 101],
      ['wrong-type', 'not of type integer ("abc")', 'abc'],
    ]);
    expect(kinds({ type: 'string', minLength: 1, maxLength: 20 }, 'string')).toEqual(
      new Set(['too-short', 'too-long']),
    );
    expect(kinds({ type: 'string', enum: ['a', 'b'] }, 'string')).toEqual(new Set(['enum']));
    expect(kinds({ type: 'boolean' }, 'string')).toEqual(new Set(['wrong-type']));
    expect(kinds({ type: 'string', format: 'uuid' }, 'string')).toEqual(new Set(['format']));
  });

  it('checks only formats ajv-formats validates', () => {
    expect(kinds({ type: 'string', format: 'password' })).not.toContain('format');
    expect(kinds({ type: 'string', format: 'x-custom' })).not.toContain('format');
    expect(kinds({ type: 'string', format: 'date' })).toContain('format');
    expect(kinds({ type: 'integer', format: 'int32' })).toContain('format');
  });

  it('starts from a fresh valid value when the given one is invalid', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'integer', maximum: 5 } },
    };
    const out = violations(schema, 'json', 1, { a: 'not valid' });
    expect(out.length).toBeGreaterThan(0);
    for (const v of out) expectViolation(validator, schema, v, 'fresh');
  });

  it('skips composed schemas', () => {
    expect(violations(entry('oneOf discriminator'), 'json')).toEqual([]);
    expect(violations(entry('not enum'), 'json')).toEqual([]);
  });

  it('skips readOnly properties in requests', () => {
    const labels = violations({ $ref: '#/components/schemas/Person' }, 'json').map((v) => v.label);
    expect(labels.some((l) => l.startsWith('id ') || l.includes('"id"'))).toBe(false);
    expect(labels).toContain('missing required property "password"');
  });
});

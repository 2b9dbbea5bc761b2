import { describe, expect, it } from 'vitest';
import { createRng } from '../../../cli/engine/data/rng.ts';
import { type SynthContext, synthesizeValid } from '../../../cli/engine/data/synthesize.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import { createValidator } from './ajv-harness.ts';
import { TABLE, TABLE_SCHEMAS } from './schema-table.ts';

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const views = ['request', 'response'] as const;
const validators = {
  request: createValidator(TABLE_SCHEMAS, 'request'),
  response: createValidator(TABLE_SCHEMAS, 'response'),
};

function ctx(seed: number, view: 'request' | 'response', extra: Partial<SynthContext> = {}): SynthContext {
  return { schemas: TABLE_SCHEMAS, rng: createRng(seed), view, ...extra };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

describe('synthesizeValid', () => {
  describe.each(TABLE)('%s', (_name, schema) => {
    it.each(views)('validates with ajv for 50 seeds (%s view, with and without examples)', (view) => {
      for (const seed of SEEDS) {
        for (const useExamples of [true, false]) {
          const value = synthesizeValid(schema, ctx(seed, view, { useExamples }));
          const verdict = validators[view].validate(schema, value);
          expect(verdict.errors, `seed ${seed} useExamples ${useExamples}: ${JSON.stringify(value)}`).toEqual(
            [],
          );
        }
      }
    });
  });

  it('is deterministic: same seed, same value', () => {
    for (const [, schema] of TABLE) {
      for (const seed of [1, 2, 3]) {
        expect(synthesizeValid(schema, ctx(seed, 'request'))).toEqual(
          synthesizeValid(schema, ctx(seed, 'request')),
        );
      }
    }
  });

  it('varies with the seed', () => {
    const values = new Set(
      SEEDS.map((seed) => JSON.stringify(synthesizeValid({ type: 'integer' }, ctx(seed, 'request')))),
    );
    expect(values.size).toBeGreaterThan(10);
  });

  it('honours const, enum and valid examples and defaults', () => {
    expect(synthesizeValid({ const: 'fixed' }, ctx(1, 'request'))).toBe('fixed');
    expect(['a', 'b']).toContain(synthesizeValid({ enum: ['a', 'b'] }, ctx(1, 'request')));
    expect(synthesizeValid({ type: 'string', example: 'good', maxLength: 5 }, ctx(1, 'request'))).toBe(
      'good',
    );
    expect(synthesizeValid({ type: 'integer', default: 20, minimum: 1 }, ctx(1, 'request'))).toBe(20);
    expect(
      synthesizeValid(
        { type: 'string', pattern: '^[a-z]+$', examples: ['bad!!', 'fine'] },
        ctx(1, 'request'),
      ),
    ).toBe('fine');
    const invalidExample = synthesizeValid({ type: 'integer', minimum: 10, example: 3 }, ctx(1, 'request'));
    expect(invalidExample).toBeGreaterThanOrEqual(10);
    const noExamples = SEEDS.map((seed) =>
      synthesizeValid({ type: 'string', example: 'good' }, ctx(seed, 'request', { useExamples: false })),
    );
    expect(noExamples.some((v) => v !== 'good')).toBe(true);
  });

  it('omits readOnly properties in requests and writeOnly properties in responses', () => {
    for (const seed of SEEDS) {
      for (const useExamples of [true, false]) {
        const request = synthesizeValid(ref('Person'), ctx(seed, 'request', { useExamples })) as Record<
          string,
          unknown
        >;
        expect(request).not.toHaveProperty('id');
        expect(request).not.toHaveProperty('createdAt');
        expect(request).toHaveProperty('password');
        const response = synthesizeValid(ref('Person'), ctx(seed, 'response', { useExamples })) as Record<
          string,
          unknown
        >;
        expect(response).not.toHaveProperty('password');
        expect(response).toHaveProperty('id');
      }
    }
  });

  it('includes some optional properties, depending on the seed', () => {
    const keys = new Set<string>();
    for (const seed of SEEDS) {
      const value = synthesizeValid(
        TABLE.find(([n]) => n === 'object')?.[1] ?? {},
        ctx(seed, 'request'),
      ) as object;
      for (const key of Object.keys(value)) keys.add(key);
    }
    expect([...keys].sort()).toEqual([
      'age',
      'born',
      'chip',
      'kind',
      'name',
      'owner',
      'score',
      'species',
      'tags',
      'weight',
    ]);
  });

  it('sets the discriminator to the mapping value of the chosen branch', () => {
    const schema = TABLE.find(([n]) => n === 'oneOf discriminator')?.[1] as JsonSchema;
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      const value = synthesizeValid(schema, ctx(seed, 'request', { useExamples: false })) as Record<
        string,
        unknown
      >;
      seen.add(String(value.petType));
      expect(value.petType === 'cat' ? 'meows' in value : 'bark' in value).toBe(true);
    }
    expect([...seen].sort()).toEqual(['cat', 'dog']);
  });

  it('tags a subtype reached by name with its discriminator value', () => {
    for (const seed of SEEDS) {
      const lizard = synthesizeValid(ref('Lizard'), ctx(seed, 'request', { useExamples: false })) as {
        kind: string;
      };
      expect(lizard.kind).toBe('Lizard');
    }
  });

  it('prefers the non-null type of type arrays and nullable wrappers', () => {
    for (const seed of SEEDS) {
      expect(synthesizeValid({ type: ['integer', 'null'] }, ctx(seed, 'request'))).not.toBeNull();
      expect(
        synthesizeValid({ anyOf: [{ type: 'null' }, ref('Address')] }, ctx(seed, 'request')),
      ).not.toBeNull();
    }
  });

  it('produces realistic strings for well-known property names', () => {
    const value = synthesizeValid(
      {
        type: 'object',
        required: ['email', 'city', 'url'],
        properties: { email: { type: 'string' }, city: { type: 'string' }, url: { type: 'string' } },
      },
      ctx(3, 'request'),
    ) as Record<string, string>;
    expect(value.email).toMatch(/^[a-z]+\d+@example\.com$/);
    expect(value.url).toMatch(/^https:\/\/example\.com\//);
    expect(value.city).toMatch(/^[A-Z][a-z]+$/);
  });

  it('keeps dates in a fixed range', () => {
    for (const seed of SEEDS) {
      const date = synthesizeValid({ type: 'string', format: 'date-time' }, ctx(seed, 'request')) as string;
      expect(date >= '2020-01-01' && date < '2026-01-01').toBe(true);
    }
  });
});

function depthOf(value: unknown, key: string): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : [(value as Record<string, unknown>)[key]];
  return 1 + Math.max(0, ...children.map((c) => depthOf(c, key)));
}

describe('bounded recursion', () => {
  it.each([1, 2, 4, 6])(
    'a tree, a linked list and a binary tree terminate and validate with maxDepth %i',
    (maxDepth) => {
      for (const seed of SEEDS) {
        for (const name of ['Node', 'LinkedList', 'Tree']) {
          const value = synthesizeValid(ref(name), ctx(seed, 'request', { maxDepth }));
          expect(validators.request.validate(ref(name), value).errors).toEqual([]);
          const key = name === 'Node' ? 'children' : name === 'LinkedList' ? 'next' : 'left';
          expect(depthOf(value, key)).toBeLessThanOrEqual(2 * maxDepth + 2);
        }
      }
    },
  );

  it('a required recursive array becomes [] past maxDepth', () => {
    const value = synthesizeValid(ref('Node'), ctx(1, 'request', { maxDepth: 1 })) as {
      children: Array<{ children: unknown[] }>;
    };
    for (const child of value.children) expect(child.children).toEqual([]);
  });
});

describe('synthesizeValid on densely linked schemas', () => {
  // Like Microsoft Graph's entities: every entity links to many others through optional arrays, so a value
  // that expands half the optional links at each of maxDepth levels grows exponentially.
  const names = Array.from({ length: 40 }, (_, i) => `Entity${i}`);
  const schemas: Record<string, JsonSchema> = {};
  for (const [i, name] of names.entries()) {
    const properties: Record<string, JsonSchema> = { id: { type: 'string', pattern: '^[a-z]{3}-[0-9]{4}$' } };
    for (const other of names) properties[`links${other}`] = { type: 'array', items: ref(other) };
    schemas[name] = { type: 'object', required: i % 2 === 0 ? ['id'] : [], properties };
  }
  const validator = createValidator(schemas, 'request');

  it('stays small and valid for every seed', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const value = synthesizeValid(ref('Entity0'), { schemas, rng: createRng(seed), view: 'request' });
      expect(validator.validate(ref('Entity0'), value).errors).toEqual([]);
      // 40 links per entity, half kept, 1–2 items each: ~30 children per level, ~27k entities unbounded.
      expect(JSON.stringify(value).length).toBeLessThan(40_000);
    }
  });
});

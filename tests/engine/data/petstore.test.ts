import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createRng } from '../../../cli/engine/data/rng.ts';
import {
  synthesizeBoundaries,
  synthesizeValid,
  synthesizeViolations,
} from '../../../cli/engine/data/synthesize.ts';
import type { JsonSchema, JsonSchemaObject } from '../../../cli/engine/ir/types.ts';
import { convert30, createValidator } from './ajv-harness.ts';
import { expectViolation, fromWire } from './violation-checks.ts';

interface Doc {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: unknown }> }>>;
}

const doc = parse(
  readFileSync(new URL('../../fixtures/specs/sut/petstore.yaml', import.meta.url), 'utf8'),
) as Doc;
const schemas = convert30(doc.components.schemas) as Record<string, JsonSchema>;
const names = Object.keys(schemas);
const params: Array<[string, JsonSchema]> = [];
for (const item of Object.values(doc.paths)) {
  for (const op of Object.values(item)) {
    for (const p of op.parameters ?? []) params.push([p.name, convert30(p.schema) as JsonSchema]);
  }
}
for (const p of Object.values(doc.paths['/pets/{petId}'] ?? {})) {
  if (Array.isArray(p)) for (const q of p) params.push([q.name, convert30(q.schema) as JsonSchema]);
}
const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const views = ['request', 'response'] as const;
const validators = {
  request: createValidator(schemas, 'request'),
  response: createValidator(schemas, 'response'),
};
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

describe('petstore component schemas', () => {
  it('has the schemas and parameters the tests expect', () => {
    expect(names).toEqual(['PetStatus', 'NewPet', 'Pet', 'NewOwner', 'Owner', 'Error']);
    expect(params.map(([n]) => n).sort()).toEqual(['limit', 'petId', 'status', 'tag']);
  });

  describe.each(names)('%s', (name) => {
    it.each(views)('valid values, boundaries and violations hold for 50 seeds (%s view)', (view) => {
      const validator = validators[view];
      for (const seed of SEEDS) {
        const ctx = { schemas, rng: createRng(seed).fork(name), view };
        const value = synthesizeValid(ref(name), ctx);
        expect(validator.validate(ref(name), value).errors, `${seed} ${JSON.stringify(value)}`).toEqual([]);
        for (const v of synthesizeViolations(ref(name), value, {
          ...ctx,
          rng: ctx.rng.fork('neg'),
          wire: 'json',
        })) {
          expectViolation(validator, ref(name), v, `${name} seed ${seed}`);
        }
        const flat = schemas[name] as JsonSchemaObject;
        for (const [prop, sub] of Object.entries(flat.properties ?? {})) {
          for (const edge of synthesizeBoundaries(sub, { ...ctx, rng: ctx.rng.fork(prop) })) {
            expect(validator.validate(sub, edge.value).errors, `${prop} ${edge.label}`).toEqual([]);
          }
        }
      }
    });
  });

  it('NewPet gets the negative cases a reviewer would write', () => {
    const ctx = { schemas, rng: createRng(1), view: 'request' as const };
    const labels = synthesizeViolations(
      ref('NewPet'),
      { name: 'Rex', species: 'dog' },
      { ...ctx, wire: 'json' },
    ).map((v) => v.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'missing required property "name"',
        'missing required property "species"',
        'name longer than maxLength 40',
        'name shorter than minLength 1',
        'species "dog_invalid" not one of the allowed values',
        'age -1 below minimum 0',
        'age 51 above maximum 50',
        'weightKg 0 below exclusive minimum 0',
        'birthDate "not-a-date" not a valid date',
        'unexpected additional property "unexpectedProperty"',
      ]),
    );
    expect(labels.some((l) => /^microchip ".*" not matching pattern/.test(l))).toBe(true);
    expect(labels.some((l) => l.startsWith('microchip set to null'))).toBe(false);
  });

  it.each(params)('parameter %s: valid, boundaries and string-wire violations', (name, schema) => {
    const types = ([] as string[]).concat(
      ((schema as JsonSchemaObject).type ?? (schemas.PetStatus as JsonSchemaObject).type ?? []) as string[],
    );
    for (const seed of SEEDS) {
      const ctx = { schemas, rng: createRng(seed).fork(name), view: 'request' as const };
      const value = synthesizeValid(schema, ctx);
      expect(validators.request.validate(schema, value).errors).toEqual([]);
      for (const edge of synthesizeBoundaries(schema, ctx)) {
        expect(validators.request.validate(schema, edge.value).errors).toEqual([]);
      }
      for (const v of synthesizeViolations(schema, value, { ...ctx, wire: 'string' })) {
        expectViolation(validators.request, schema, v, `${name} seed ${seed}`);
        expect(validators.request.validate(schema, fromWire(v.value, types)).valid).toBe(false);
      }
    }
  });
});

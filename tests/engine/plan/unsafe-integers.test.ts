/**
 * An example or default the spec writes as an integer past ±2^53 (int64's 9223372036854775807) is rounded when
 * the spec is parsed, so sending it would send another number, one the schema may forbid: the planner leaves
 * it for a synthesised value, wherever examples are read (parameter, body, schema example, default).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdsExactNumbers } from '../../../cli/engine/data/json.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';

const DIR = join(import.meta.dirname, '../../.tmp/unsafe-integers');
const INT64_MAX = '9223372036854775807';
// Written as text, so the big literals reach the parser as the spec author wrote them.
const SPEC = `{
  "openapi": "3.0.3",
  "info": { "title": "Ids", "version": "1" },
  "paths": {
    "/things/{id}": {
      "get": {
        "operationId": "getThing",
        "parameters": [{ "name": "id", "in": "path", "required": true, "example": ${INT64_MAX},
          "schema": { "type": "integer", "format": "int64", "minimum": 0, "maximum": ${INT64_MAX} } },
          { "name": "after", "in": "query",
            "schema": { "type": "integer", "minimum": 1, "maximum": ${INT64_MAX} } }],
        "responses": { "200": { "description": "ok" } }
      }
    },
    "/things": {
      "post": {
        "operationId": "createThing",
        "requestBody": { "required": true, "content": { "application/json": {
          "schema": { "type": "object", "required": ["id"], "properties": {
            "id": { "type": "integer", "format": "int64", "example": ${INT64_MAX}, "default": ${INT64_MAX} } } },
          "example": { "id": ${INT64_MAX} } } } },
        "responses": { "201": { "description": "made" } }
      }
    }
  }
}`;

/** The integers in `value` that are not exact (the test's own walk, independent of the planner's). */
function inexact(value: unknown): number[] {
  if (typeof value === 'number')
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(inexact);
  return [];
}

describe('integers the spec writes past 2^53', () => {
  it('are told apart from exact values', () => {
    expect(holdsExactNumbers({ a: [1, 2.5, Number.MAX_SAFE_INTEGER, 'x'] })).toBe(true);
    expect(holdsExactNumbers({ a: [Number(INT64_MAX)] })).toBe(false);
    expect(holdsExactNumbers(-(2 ** 60))).toBe(false);
  });

  it('are never sent: a synthesised value takes their place, at every depth, boundaries too', async () => {
    mkdirSync(DIR, { recursive: true });
    const path = join(DIR, 'ids.json');
    writeFileSync(path, SPEC);
    const { ir } = await prepareSpec(path);
    for (const depth of ['quick', 'standard'] as const) {
      const plan = planTests(ir, { seed: 1, depth, categories: ['contract', 'boundary'] });
      const sent = plan.cases.flatMap((testCase) =>
        testCase.steps.flatMap((step) => [step.path, step.query, step.body?.value ?? null]),
      );
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.flatMap(inexact)).toEqual([]);
      // The lower edge of `after` is still a boundary case: only the edge that cannot be written is left out.
      expect(plan.cases.map((testCase) => testCase.title).join('\n')).toMatch(/"after" at minimum 1/);
    }
  });
});

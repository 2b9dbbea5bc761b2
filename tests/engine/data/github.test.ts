/**
 * Scale and realism check on GitHub's REST API description (@octokit/openapi, OpenAPI 3.0): every JSON
 * request body is synthesised well within the time budget and validates with Ajv.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../cli/engine/data/rng.ts';
import { synthesizeValid, synthesizeViolations } from '../../../cli/engine/data/synthesize.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import { convert30, createValidator } from './ajv-harness.ts';
import { expectViolation } from './violation-checks.ts';

interface Operation {
  operationId: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

const require = createRequire(import.meta.url);
const specPath = require.resolve('@octokit/openapi/generated/api.github.com.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
const schemas = convert30(spec.components.schemas) as Record<string, JsonSchema>;
const bodies: Array<[string, JsonSchema]> = [];
for (const item of Object.values(spec.paths)) {
  for (const op of Object.values(item)) {
    const content = op.requestBody?.content ?? {};
    for (const [mediaType, media] of Object.entries(content)) {
      if (mediaType.includes('json') && media.schema)
        bodies.push([op.operationId, convert30(media.schema) as JsonSchema]);
    }
  }
}

function synthesizeAll(seed: number): unknown[] {
  const root = createRng(seed);
  return bodies.map(([id, schema]) =>
    synthesizeValid(schema, { schemas, rng: root.fork(id), view: 'request' }),
  );
}

describe('GitHub REST API request bodies', () => {
  it('has hundreds of JSON request bodies', () => {
    expect(bodies.length).toBeGreaterThan(300);
  });

  it('every body validates with ajv, and is deterministic', () => {
    const validator = createValidator(schemas, 'request');
    const values = synthesizeAll(5);
    expect(synthesizeAll(5)).toEqual(values);
    const failures: string[] = [];
    bodies.forEach(([id, schema], i) => {
      const verdict = validator.validate(schema, values[i]);
      if (!verdict.valid) failures.push(`${id}: ${JSON.stringify(verdict.errors.slice(0, 2))}`);
    });
    expect(failures).toEqual([]);
  });

  it('every body violation fails ajv at its pointer (sample of 120 bodies)', () => {
    const validator = createValidator(schemas, 'request');
    const root = createRng(11);
    let count = 0;
    for (const [id, schema] of bodies.slice(0, 120)) {
      const ctx = { schemas, rng: root.fork(id), view: 'request' as const };
      const value = synthesizeValid(schema, ctx);
      for (const v of synthesizeViolations(schema, value, {
        ...ctx,
        rng: ctx.rng.fork('neg'),
        wire: 'json',
      })) {
        expectViolation(validator, schema, v, id);
        count++;
      }
    }
    expect(count).toBeGreaterThan(500);
  });
});

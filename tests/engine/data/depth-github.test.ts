/**
 * Size check of input classes and combinations on GitHub's REST API description (1,000+ operations):
 * counts per depth, printed, with the per-operation limits checked. Timing-free; `npm run bench:engine`
 * measures time.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { conforms } from '../../../cli/engine/data/check.ts';
import { inputClasses } from '../../../cli/engine/data/classes.ts';
import { DEPTH_LIMITS, DEPTHS, type Depth } from '../../../cli/engine/data/depth.ts';
import { combine, type Factor } from '../../../cli/engine/data/pairwise.ts';
import { flattenSchema } from '../../../cli/engine/data/resolve.ts';
import { createRng } from '../../../cli/engine/data/rng.ts';
import type { ApiIr, IrOperation, JsonSchema } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';

const require = createRequire(import.meta.url);
const SPEC = require.resolve('@octokit/openapi/generated/api.github.com.json');

/** An operation's inputs as the planner would see them: parameters, then top-level JSON body properties. */
function inputsOf(ir: ApiIr, op: IrOperation) {
  const inputs: Array<{
    name: string;
    schema: JsonSchema;
    required: boolean;
    description?: string;
    examples: unknown[];
  }> = [];
  for (const p of op.parameters) {
    if (p.in === 'header' && ['accept', 'content-type', 'authorization'].includes(p.name.toLowerCase()))
      continue;
    inputs.push({
      name: `${p.in}:${p.name}`,
      schema: p.schema,
      required: p.required,
      description: p.description,
      examples: p.examples,
    });
  }
  const json = op.requestBody?.contents.find((c) => c.mediaType.includes('json'));
  if (json?.schema !== undefined) {
    const flat = flattenSchema(json.schema, ir.schemas);
    const props = flat === false ? undefined : flat.properties;
    if (flat !== false && props && !flat.oneOf && !flat.anyOf) {
      for (const [name, schema] of Object.entries(props))
        inputs.push({
          name: `body.${name}`,
          schema,
          required: (flat.required ?? []).includes(name),
          examples: [],
        });
    } else inputs.push({ name: 'body', schema: json.schema, required: true, examples: [] });
  }
  return inputs;
}

interface Figures {
  operations: number;
  inputs: number;
  classes: number;
  combinations: number;
  maxPerOperation: number;
}

function measure(ir: ApiIr, depth: Depth): { figures: Figures; perOperation: Map<string, number> } {
  const root = createRng(1);
  const figures: Figures = { operations: 0, inputs: 0, classes: 0, combinations: 0, maxPerOperation: 0 };
  const perOperation = new Map<string, number>();
  const verified = new WeakMap<object, WeakSet<object>>();
  for (const op of ir.operations) {
    const rng = root.fork(`op:${op.id}`);
    const factors: Factor[] = inputsOf(ir, op).map((input) => {
      const name = input.name.replace(/^\w+[:.]/, '');
      const classes = inputClasses(input.schema, {
        name,
        ...(input.description === undefined ? {} : { description: input.description }),
        examples: input.examples,
        ctx: { schemas: ir.schemas, rng: rng.fork(input.name), view: 'request', verified },
        depth,
      });
      figures.classes += classes.length;
      return {
        name: input.name,
        classes,
        optional: !input.required,
        absentByDefault: !input.required,
        accepts: (v: unknown) => conforms(input.schema, v, { schemas: ir.schemas, view: 'request' }),
      };
    });
    const combos = combine(factors, { rng, depth });
    figures.operations++;
    figures.inputs += factors.length;
    figures.combinations += combos.length;
    figures.maxPerOperation = Math.max(figures.maxPerOperation, combos.length);
    perOperation.set(op.id, combos.length);
  }
  return { figures, perOperation };
}

describe('input classes and combinations on the GitHub REST API', () => {
  let ir: ApiIr;
  const results = new Map<Depth, ReturnType<typeof measure>>();

  beforeAll(async () => {
    ir = (await prepareSpec(SPEC)).ir;
    for (const depth of DEPTHS) results.set(depth, measure(ir, depth));
    const rows = DEPTHS.map((depth) => {
      const f = results.get(depth)!.figures;
      return `${depth.padEnd(8)} ops ${f.operations}  inputs ${f.inputs}  classes ${f.classes}  combinations ${f.combinations}  max/op ${f.maxPerOperation}  mean/op ${(f.combinations / f.operations).toFixed(1)}`;
    });
    process.stdout.write(`GitHub REST API, input classes and combinations per depth:\n${rows.join('\n')}\n`);
  }, 600_000);

  it('quick is one combination per operation: today’s single input', () => {
    const quick = results.get('quick')!;
    expect(quick.figures.operations).toBeGreaterThan(1000);
    expect(quick.figures.combinations).toBe(quick.figures.operations);
    expect(quick.figures.classes).toBe(quick.figures.inputs);
  });

  it('standard and deep stay within the per-operation limit and grow with the inputs', () => {
    for (const depth of ['standard', 'deep'] as const) {
      const { figures } = results.get(depth)!;
      expect(figures.maxPerOperation).toBeLessThanOrEqual(DEPTH_LIMITS[depth].maxCombinations);
      expect(figures.combinations).toBeLessThanOrEqual(
        figures.operations * DEPTH_LIMITS[depth].maxCombinations,
      );
    }
    const standard = results.get('standard')!.figures;
    const deep = results.get('deep')!.figures;
    expect(standard.classes).toBeGreaterThan(3 * standard.inputs);
    expect(standard.combinations).toBeGreaterThan(5 * standard.operations);
    expect(deep.combinations).toBeGreaterThanOrEqual(standard.combinations);
  });

  it('an operation without inputs has the baseline only, at every depth', () => {
    const bare = ir.operations.find((op) => inputsOf(ir, op).length === 0);
    expect(bare).toBeDefined();
    for (const depth of DEPTHS) expect(results.get(depth)!.perOperation.get(bare!.id)).toBe(1);
  });
});

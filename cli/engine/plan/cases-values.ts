/**
 * Negative cases (one violation each, expecting a 4xx) and boundary cases (valid values at the edges,
 * expecting success), for parameters and JSON bodies.
 */
import { synthesizeBoundaries, synthesizeViolations } from '../data/synthesize.ts';
import type { IrParameter, JsonSchemaObject } from '../ir/types.ts';
import { caseWithSetup, describeOp, validInput } from './cases-basic.ts';
import {
  type OperationContext,
  type PlanContext,
  requestSynth,
  validParamValue,
} from './operation-context.ts';
import { paramKey, usableParameters } from './request-builder.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import type { TestCase } from './types.ts';

/** Upper bounds that keep suites for large APIs readable. */
export const CASE_LIMITS = { negativePerOperation: 24, boundaryPerOperation: 16, perParameter: 6 } as const;

const REJECT = { status: ['4XX'], validateBody: true };

type Planned = Omit<TestCase, 'id'>;

/** A planned case with the kind of violation it exercises, for diversifying under the per-operation limit. */
interface Keyed {
  kind: string;
  planned: Planned;
}

/**
 * Picks up to `limit` cases round-robin over their kinds (in first-seen order), so a limit keeps one case of
 * every kind of violation before a second of any.
 */
export function diversify(cases: Keyed[], limit: number): Planned[] {
  const groups = new Map<string, Planned[]>();
  for (const c of cases) {
    const group = groups.get(c.kind);
    if (group) group.push(c.planned);
    else groups.set(c.kind, [c.planned]);
  }
  const picked: Planned[] = [];
  for (let round = 0; picked.length < limit; round += 1) {
    let any = false;
    for (const group of groups.values()) {
      const next = group[round];
      if (next === undefined) continue;
      any = true;
      if (picked.length < limit) picked.push(next);
    }
    if (!any) break;
  }
  const order = new Map(cases.map((c, i) => [c.planned, i]));
  return picked.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function describeParam(param: IrParameter): string {
  return `${param.in} parameter "${param.name}"`;
}

function paramNegatives(ctx: PlanContext, octx: OperationContext): Keyed[] {
  const cases: Keyed[] = [];
  const op = describeOp(octx.op);
  for (const param of usableParameters(octx.op)) {
    const key = paramKey(param);
    if (param.required && param.in !== 'path') {
      const params = { ...octx.params };
      delete params[key];
      const title = `${op} rejects a request without required ${describeParam(param)}`;
      const planned = caseWithSetup(
        octx,
        { category: 'negative', title },
        validInput(octx, { params, expect: REJECT }),
      );
      cases.push({ kind: 'missing-required', planned });
    }
    if (param.contentType) continue;
    const rng = octx.rng.fork(`negative:${key}`);
    const current = octx.params[key];
    const valid =
      current === undefined || typeof current === 'object' ? validParamValue(ctx, param, rng) : current;
    const synth = { ...requestSynth(ctx, rng), wire: 'string' as const };
    for (const violation of synthesizeViolations(param.schema, valid, synth).slice(
      0,
      CASE_LIMITS.perParameter,
    )) {
      const params = { ...octx.params, [key]: violation.value };
      const title = `${op} rejects ${describeParam(param)}: ${violation.label}`;
      const planned = caseWithSetup(
        octx,
        { category: 'negative', title },
        validInput(octx, { params, expect: REJECT }),
      );
      cases.push({ kind: violation.kind, planned });
    }
  }
  return cases;
}

function bodyNegatives(ctx: PlanContext, octx: OperationContext): Keyed[] {
  const body = octx.body;
  if (!body) return [];
  const op = describeOp(octx.op);
  const cases: Keyed[] = [];
  if (octx.op.requestBody?.required) {
    const title = `${op} rejects a request without its required body`;
    const input = validInput(octx, { body: undefined, expect: REJECT });
    cases.push({
      kind: 'missing-body',
      planned: caseWithSetup(octx, { category: 'negative', title }, input),
    });
  }
  if (body.choice.kind !== 'json' || body.schema === undefined) return cases;
  const synth = { ...requestSynth(ctx, octx.rng.fork('negative:body')), wire: 'json' as const };
  for (const violation of synthesizeViolations(body.schema, body.value, synth)) {
    const title = `${op} rejects a body with ${violation.label}`;
    const input = validInput(octx, { body: { choice: body.choice, value: violation.value }, expect: REJECT });
    cases.push({
      kind: violation.kind,
      planned: caseWithSetup(octx, { category: 'negative', title }, input),
    });
  }
  return cases;
}

export function planNegativeCases(ctx: PlanContext, octx: OperationContext): Array<Omit<TestCase, 'id'>> {
  return diversify(
    [...paramNegatives(ctx, octx), ...bodyNegatives(ctx, octx)],
    CASE_LIMITS.negativePerOperation,
  );
}

export function planBoundaryCases(ctx: PlanContext, octx: OperationContext): Array<Omit<TestCase, 'id'>> {
  const cases: Array<Omit<TestCase, 'id'>> = [];
  const op = describeOp(octx.op);
  for (const param of usableParameters(octx.op)) {
    if (param.in === 'path' || param.contentType) continue;
    const synth = requestSynth(ctx, octx.rng.fork(`boundary:${paramKey(param)}`));
    for (const edge of synthesizeBoundaries(param.schema, synth).slice(0, CASE_LIMITS.perParameter)) {
      const params = { ...octx.params, [paramKey(param)]: edge.value };
      const title = `${op} accepts ${describeParam(param)} ${edge.label}`;
      cases.push(caseWithSetup(octx, { category: 'boundary', title }, validInput(octx, { params })));
    }
  }
  const body = octx.body;
  const value = body?.value;
  if (body && body.choice.kind === 'json' && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, schema] of Object.entries(objectProperties(ctx.ir, body.schema))) {
      const resolved: JsonSchemaObject | undefined = resolveSchema(ctx.ir, schema);
      if (!resolved || resolved.readOnly === true) continue;
      const synth = requestSynth(ctx, octx.rng.fork(`boundary:body:${name}`));
      for (const edge of synthesizeBoundaries(schema, synth).slice(0, CASE_LIMITS.perParameter)) {
        const edited = { ...(value as Record<string, unknown>), [name]: edge.value };
        const title = `${op} accepts body property "${name}" ${edge.label}`;
        const input = validInput(octx, { body: { choice: body.choice, value: edited } });
        cases.push(caseWithSetup(octx, { category: 'boundary', title }, input));
      }
    }
  }
  return cases.slice(0, CASE_LIMITS.boundaryPerOperation);
}

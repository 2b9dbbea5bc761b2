/**
 * Negative cases (one violation each, expecting a 4xx) and boundary cases (valid values at the edges,
 * expecting success), for parameters and JSON bodies.
 */
import { synthesizeBoundaries, synthesizeViolations, violationCandidates } from '../data/synthesize.ts';
import type { IrParameter, JsonSchemaObject } from '../ir/types.ts';
import { keyOf, type PlannedCase } from './case-ids.ts';
import { caseWithSetup, describeOp, validInput } from './cases-basic.ts';
import {
  type OperationContext,
  type PlanContext,
  requestSynth,
  validParamValue,
} from './operation-context.ts';
import { rebind } from './reference-slots.ts';
import { paramKey, usableParameters } from './request-builder.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import { rejectionExpectation } from './statuses.ts';

/** Upper bounds that keep suites for large APIs readable. */
export const CASE_LIMITS = { negativePerOperation: 24, boundaryPerOperation: 16, perParameter: 6 } as const;

type Planned = PlannedCase;

/**
 * A candidate case with the kind of violation it exercises, for diversifying under the per-operation limit.
 * `plan` makes the case, or gives `undefined` when the candidate turns out not to be one (its value still
 * validates); it is only called for candidates that could be picked.
 */
interface Keyed {
  kind: string;
  plan: () => Planned | undefined;
}

/**
 * Picks up to `limit` of the cases that `plan` makes, round-robin over their kinds (in the order in which
 * each kind's first case comes), so a limit keeps one case of every kind of violation before a second of any;
 * the picked cases keep their original order. Candidates are made lazily: kind by kind up to its first
 * case, then round by round, never past the limit.
 */
export function diversify(cases: Keyed[], limit: number): Planned[] {
  const groups = new Map<string, number[]>();
  cases.forEach((c, index) => {
    const group = groups.get(c.kind);
    if (group) group.push(index);
    else groups.set(c.kind, [index]);
  });
  const made = new Map<number, Planned | undefined>();
  const make = (index: number): Planned | undefined => {
    if (!made.has(index)) made.set(index, cases[index]?.plan());
    return made.get(index);
  };
  // Each kind's cases (indexes of candidates that made one), found as far as needed.
  const kinds = [...groups.values()].map((indexes) => ({ indexes, next: 0, found: [] as number[] }));
  const nth = (kind: (typeof kinds)[number], n: number): number | undefined => {
    while (kind.found.length <= n && kind.next < kind.indexes.length) {
      const index = kind.indexes[kind.next++] as number;
      if (make(index) !== undefined) kind.found.push(index);
    }
    return kind.found[n];
  };
  const ordered = kinds
    .map((kind) => ({ kind, first: nth(kind, 0) }))
    .filter((entry): entry is { kind: (typeof kinds)[number]; first: number } => entry.first !== undefined)
    .sort((a, b) => a.first - b.first)
    .map((entry) => entry.kind);
  const picked: number[] = [];
  for (let round = 0; picked.length < limit; round += 1) {
    let any = false;
    for (const kind of ordered) {
      if (picked.length >= limit) break;
      const index = nth(kind, round);
      if (index === undefined) continue;
      any = true;
      picked.push(index);
    }
    if (!any) break;
  }
  return picked.sort((a, b) => a - b).map((index) => made.get(index) as Planned);
}

/** The first quoted name in a label (`missing required property "species"` → `species`), if any. */
function quoted(label: string): string | undefined {
  return /"([^"]*)"/.exec(label)?.[1];
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
      // Cases are built only if picked (diversify keeps a few of many): GitHub's list operations have dozens.
      cases.push({
        kind: 'missing-required',
        plan: () =>
          caseWithSetup(
            octx,
            { category: 'negative', title, key: keyOf(param.in, param.name, 'missing') },
            validInput(octx, { params, expect: rejectionExpectation(octx.op) }),
          ),
      });
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
      cases.push({
        kind: violation.kind,
        plan: () =>
          caseWithSetup(
            octx,
            {
              category: 'negative',
              title: `${op} rejects ${describeParam(param)}: ${violation.label}`,
              key: keyOf(param.in, param.name, violation.kind),
            },
            validInput(octx, {
              params: { ...octx.params, [key]: violation.value },
              expect: rejectionExpectation(octx.op, { formatOnly: violation.kind === 'format' }),
            }),
          ),
      });
    }
  }
  return cases;
}

/**
 * A body made from the sample (see bodyNegatives) with the variables of its bound references back where it
 * still holds their made-up values: the request then names resources that exist and breaks only its one rule.
 */
function rebound(octx: OperationContext, value: unknown): unknown {
  const sample = octx.body?.sample;
  return sample === undefined ? value : rebind(value, sample, octx.body?.value);
}

function bodyNegatives(ctx: PlanContext, octx: OperationContext): Keyed[] {
  const body = octx.body;
  if (!body) return [];
  const op = describeOp(octx.op);
  const cases: Keyed[] = [];
  if (octx.op.requestBody?.required) {
    const title = `${op} rejects a request without its required body`;
    const input = validInput(octx, { body: undefined, expect: rejectionExpectation(octx.op) });
    const planned = caseWithSetup(octx, { category: 'negative', title, key: 'body_missing' }, input);
    cases.push({ kind: 'missing-body', plan: () => planned });
  }
  if (body.choice.kind !== 'json' || body.schema === undefined) return cases;
  const synth = { ...requestSynth(ctx, octx.rng.fork('negative:body')), wire: 'json' as const };
  const choice = body.choice;
  // Bodies can be large: a candidate's copy of the body is made (and validated) only if it may be picked.
  // Each candidate breaks one rule of the schema in a body that keeps every other: made from the body with
  // its values (not the variables of the resources its setup creates, which a schema cannot judge).
  for (const candidate of violationCandidates(body.schema, body.sample ?? body.value, synth)) {
    cases.push({
      kind: candidate.kind,
      plan: () => {
        const made = candidate.make();
        if (!made) return undefined;
        const title = `${op} rejects a body with ${candidate.label}`;
        const expect = rejectionExpectation(octx.op, { formatOnly: candidate.kind === 'format' });
        const input = validInput(octx, { body: { choice, value: rebound(octx, made.value) }, expect });
        const key = keyOf(
          'body',
          candidate.pointer.replace(/\//g, ' '),
          candidate.kind,
          quoted(candidate.label),
        );
        return caseWithSetup(octx, { category: 'negative', title, key }, input);
      },
    });
  }
  return cases;
}

export function planNegativeCases(ctx: PlanContext, octx: OperationContext): PlannedCase[] {
  return diversify(
    [...paramNegatives(ctx, octx), ...bodyNegatives(ctx, octx)],
    CASE_LIMITS.negativePerOperation,
  );
}

export function planBoundaryCases(ctx: PlanContext, octx: OperationContext): PlannedCase[] {
  const cases: PlannedCase[] = [];
  const op = describeOp(octx.op);
  for (const param of usableParameters(octx.op)) {
    if (param.in === 'path' || param.contentType) continue;
    const synth = requestSynth(ctx, octx.rng.fork(`boundary:${paramKey(param)}`));
    for (const edge of synthesizeBoundaries(param.schema, synth).slice(0, CASE_LIMITS.perParameter)) {
      const params = { ...octx.params, [paramKey(param)]: edge.value };
      const title = `${op} accepts ${describeParam(param)} ${edge.label}`;
      const key = keyOf(param.in, param.name, edge.label);
      cases.push(caseWithSetup(octx, { category: 'boundary', title, key }, validInput(octx, { params })));
    }
  }
  const body = octx.body;
  const value = body?.value;
  if (body && body.choice.kind === 'json' && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, schema] of Object.entries(objectProperties(ctx.ir, body.schema))) {
      const resolved: JsonSchemaObject | undefined = resolveSchema(ctx.ir, schema);
      // The id of a resource a setup step creates stays that id (another value would name nothing).
      if (!resolved || resolved.readOnly === true || octx.boundReferences.has(name)) continue;
      const synth = requestSynth(ctx, octx.rng.fork(`boundary:body:${name}`));
      for (const edge of synthesizeBoundaries(schema, synth).slice(0, CASE_LIMITS.perParameter)) {
        const edited = { ...(value as Record<string, unknown>), [name]: edge.value };
        const title = `${op} accepts body property "${name}" ${edge.label}`;
        const input = validInput(octx, { body: { choice: body.choice, value: edited } });
        cases.push(
          caseWithSetup(octx, { category: 'boundary', title, key: keyOf('body', name, edge.label) }, input),
        );
      }
    }
  }
  return cases.slice(0, CASE_LIMITS.boundaryPerOperation);
}

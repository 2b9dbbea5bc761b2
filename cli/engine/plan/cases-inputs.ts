/**
 * Many inputs per operation (`--depth standard|deep`): the classes of every parameter and top-level body
 * property (data/classes.ts), combined so that every pair of classes of two inputs is sent together at least
 * once, plus the equal-value combinations code compares (data/pairwise.ts). Each combination is one more
 * valid request of the operation — a contract case named by the classes it picks — that must be accepted.
 * At `quick` the typical request (the contract case itself) is the only one.
 */
import { conforms } from '../data/check.ts';
import { type InputClass, inputClasses } from '../data/classes.ts';
import type { Depth } from '../data/depth.ts';
import { type Combination, combine, type Factor } from '../data/pairwise.ts';
import type { IrParameter, JsonSchema } from '../ir/types.ts';
import type { PlannedCase } from './case-ids.ts';
import { caseWithSetup, describeOp, validInput } from './cases-basic.ts';
import { type OperationContext, type PlanContext, requestSynth } from './operation-context.ts';
import { rebind, unbind } from './reference-slots.ts';
import { paramKey, usableParameters } from './request-builder.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import { isVarRef } from './serialize-params.ts';

/** One input of the operation: how it is named, its classes, and where its value goes. */
interface Input {
  factor: Factor;
  /** A parameter (by its key in the values map) or a top-level body property. */
  target: { param: string } | { property: string };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parameterInput(
  ctx: PlanContext,
  octx: OperationContext,
  param: IrParameter,
  depth: Depth,
): Input | undefined {
  const key = paramKey(param);
  const current = octx.params[key];
  // A path parameter bound to a resource made by a setup step (or named by --path-param) is not an input.
  if (isVarRef(current) || (param.in === 'path' && Object.hasOwn(ctx.pathParams, param.name)))
    return undefined;
  if (param.in === 'path' && octx.unboundPathParams.includes(param.name)) return undefined;
  if (param.contentType) return undefined;
  const synth = requestSynth(ctx, octx.rng.fork(`inputs:${key}`));
  const made = inputClasses(param.schema, {
    name: param.name,
    ...(param.description ? { description: param.description } : {}),
    examples: param.examples,
    ...(current === undefined ? {} : { typical: { value: current } }),
    ctx: synth,
    depth,
  });
  // A header or cookie holds visible ASCII (RFC 9110 field values; clients refuse other text, and a server
  // never sees a value's outer spaces).
  const classes =
    param.in === 'header' || param.in === 'cookie'
      ? made.filter(
          (c) =>
            typeof c.value !== 'string' || /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(c.value),
        )
      : made;
  const env = { schemas: ctx.ir.schemas, view: 'request' as const };
  return {
    factor: {
      name: `${param.in} ${param.name}`,
      classes,
      optional: !param.required,
      absentByDefault: current === undefined,
      accepts: (value) => conforms(param.schema, value, env),
    },
    target: { param: key },
  };
}

function bodyInputs(ctx: PlanContext, octx: OperationContext, depth: Depth): Input[] {
  const body = octx.body;
  if (body?.choice.kind !== 'json' || body.schema === undefined || !isPlainObject(body.value)) return [];
  const resolved = resolveSchema(ctx.ir, body.schema);
  const required = new Set(resolved?.required ?? []);
  const env = { schemas: ctx.ir.schemas, view: 'request' as const };
  const inputs: Input[] = [];
  // Classes are made from the values made for the body (a variable in it is not a value of its schema).
  const typical = isPlainObject(body.sample) ? body.sample : body.value;
  for (const [name, schema] of Object.entries(objectProperties(ctx.ir, body.schema))) {
    const property = resolveSchema(ctx.ir, schema);
    // The id of a resource a setup step creates is not an input: any other value would name nothing.
    if (!property || property.readOnly === true || octx.boundReferences.has(name)) continue;
    const current = typical[name];
    const classes = inputClasses(schema as JsonSchema, {
      name,
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
      ...(current === undefined ? {} : { typical: { value: current } }),
      ctx: requestSynth(ctx, octx.rng.fork(`inputs:body:${name}`)),
      depth,
    });
    inputs.push({
      factor: {
        name: `body ${name}`,
        classes,
        optional: !required.has(name),
        absentByDefault: current === undefined,
        accepts: (value) => conforms(schema as JsonSchema, value, env),
      },
      target: { property: name },
    });
  }
  return inputs;
}

/** The body with the values made for its bound references instead of their variables (to check by schema). */
function withSamples(octx: OperationContext, body: Record<string, unknown>): unknown {
  const sample = octx.body?.sample;
  return sample === undefined ? body : unbind(body, sample);
}

/** The request of one combination: the typical request with each input's picked class (or without it). */
function requestOf(
  octx: OperationContext,
  inputs: readonly Input[],
  picks: ReadonlyArray<InputClass | null>,
) {
  const params: Record<string, unknown> = { ...octx.params };
  const body = isPlainObject(octx.body?.value) ? { ...octx.body.value } : undefined;
  inputs.forEach((input, i) => {
    const pick = picks[i] ?? null;
    if ('param' in input.target) {
      if (pick === null) delete params[input.target.param];
      else params[input.target.param] = pick.value;
    } else if (body) {
      if (pick === null) delete body[input.target.property];
      else body[input.target.property] = pick.value;
    }
  });
  // Where a class keeps the typical value of a property that holds references (the lines of an order), the
  // ids a setup step makes are put back: the request names resources that exist.
  const sample = octx.body?.sample;
  return {
    params,
    body:
      body && sample !== undefined
        ? (rebind(body, sample, octx.body?.value) as Record<string, unknown>)
        : body,
  };
}

/**
 * The contract cases past the typical one: one per combination of input classes (the baseline, which is the
 * typical request, is left out). A combination whose body no longer validates as a whole (properties that
 * depend on each other) is skipped.
 */
export function planInputCases(
  ctx: PlanContext,
  octx: OperationContext,
  options: { depth: Depth; maxCombinations: number },
): PlannedCase[] {
  const { depth } = options;
  if (depth === 'quick' || octx.success.length === 0) return [];
  const inputs = [
    ...usableParameters(octx.op).flatMap((param) => parameterInput(ctx, octx, param, depth) ?? []),
    ...bodyInputs(ctx, octx, depth),
  ];
  if (inputs.length === 0) return [];
  const combinations: Combination[] = combine(
    inputs.map((input) => input.factor),
    { rng: octx.rng.fork('inputs'), depth, limits: { maxCombinations: options.maxCombinations } },
  );
  const env = { schemas: ctx.ir.schemas, view: 'request' as const };
  const cases: PlannedCase[] = [];
  for (const combination of combinations) {
    if (combination.kind === 'baseline') continue;
    const { params, body } = requestOf(octx, inputs, combination.picks);
    const schema = octx.body?.schema;
    if (body && schema !== undefined && !conforms(schema, withSamples(octx, body), env)) continue;
    const title = `${describeOp(octx.op)} accepts ${combination.label}`;
    const input = validInput(octx, {
      params,
      ...(octx.body && body ? { body: { choice: octx.body.choice, value: body } } : {}),
    });
    cases.push(caseWithSetup(octx, { category: 'contract', title, key: combination.key }, input));
  }
  return cases;
}

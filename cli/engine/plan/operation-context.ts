/**
 * Everything the case builders need to know about one operation: a valid request (examples first, then
 * defaults, then synthesised values), the credentials it needs, and the setup steps that create the resources
 * its path parameters name.
 */

import { conforms } from '../data/check.ts';
import { sendableExample } from '../data/json.ts';
import { createRng, type Rng } from '../data/rng.ts';
import { type SynthContext, synthesizeValid } from '../data/synthesize.ts';
import type { ApiIr, IrOperation, IrParameter, IrSecurityScheme, JsonSchema } from '../ir/types.ts';
import { namesResource } from './path-param-kind.ts';
import {
  type BodyChoice,
  buildStep,
  paramKey,
  pickBodyMedia,
  sendsNoBody,
  usableParameters,
} from './request-builder.ts';
import { createProducerIndex, type ProducerIndex } from './resources.ts';
import { acceptanceExpectation, successStatuses } from './statuses.ts';
import type { StepAuth, TestStep, VarRef } from './types.ts';
import { isXmlMediaType } from './xml-body.ts';

/** Shared state of one planning run. */
export interface PlanContext {
  ir: ApiIr;
  rng: Rng;
  producers: ProducerIndex;
  /** Path parameter values the user gave, by parameter name (resources known to exist). */
  pathParams: Readonly<Record<string, string>>;
  /**
   * Values that depend only on the seed and an operation, computed once per run: an operation's context is
   * needed by several planners, and a producer's setup input by every operation below it (Microsoft Graph
   * nests thousands of operations under a few creators). Shared values are never mutated.
   */
  memo: {
    contexts: Map<IrOperation, OperationContext>;
    setupInputs: Map<IrOperation, { params: Record<string, unknown>; body: OperationContext['body'] }>;
  };
}

export interface OperationContext {
  op: IrOperation;
  /** Credentials that satisfy the operation's security (empty `schemes` when none are needed). */
  validAuth: StepAuth;
  /** True when the operation cannot be called anonymously. */
  authRequired: boolean;
  /** Valid values by parameter key; path parameters bound by setup are {@link VarRef}s. */
  params: Record<string, unknown>;
  body?: { choice: BodyChoice; value: unknown; schema?: JsonSchema };
  /** Steps that create the resources the path parameters name, in order. */
  setup: TestStep[];
  /**
   * Path parameters that name a resource no operation produces and the user gave no value for (synthesised;
   * the resource may not exist). Path parameters that are plain values are never listed.
   */
  unboundPathParams: string[];
  /**
   * The unbound path parameters nothing in the spec creates, also those a producer's own path needs
   * (`{owner}` for `/repos/{owner}/issues/{number}`): a `--path-param` value for each binds the rest.
   */
  missingPathParams: string[];
  /** Declared success statuses. */
  success: string[];
  /** The operation's own random stream. */
  rng: Rng;
}

export function createPlanContext(
  ir: ApiIr,
  seed: number,
  pathParams: Readonly<Record<string, string>> = {},
): PlanContext {
  return {
    ir,
    rng: createRng(seed),
    producers: createProducerIndex(ir),
    pathParams,
    memo: { contexts: new Map(), setupInputs: new Map() },
  };
}

/** Synthesis context for request values of this run. */
export function requestSynth(ctx: PlanContext, rng: Rng): SynthContext {
  return { schemas: ctx.ir.schemas, rng, view: 'request' };
}

/** Whether a scheme's credentials go in the Authorization header (HTTP schemes, OAuth 2, OpenID Connect). */
function usesAuthorizationHeader(scheme: IrSecurityScheme): boolean {
  if (scheme.type === 'apiKey')
    return scheme.in === 'header' && scheme.name?.toLowerCase() === 'authorization';
  return scheme.type !== 'mutualTLS';
}

/**
 * The schemes of an AND set that one request can carry: HTTP has one Authorization header, so of the schemes
 * that use it only the first is sent (Google's specs ask for two OAuth 2 flows at once; one token answers
 * both). The rest are sent as they are.
 */
function sendableSchemes(ir: ApiIr, keys: string[]): string[] {
  let authorization = false;
  return keys.filter((key) => {
    if (!usesAuthorizationHeader(ir.securitySchemes[key]!)) return true;
    if (authorization) return false;
    authorization = true;
    return true;
  });
}

/**
 * The credentials that satisfy `op`, and whether they are required: the first alternative whose schemes one
 * request can carry, else the first usable one with the schemes it can carry (see {@link sendableSchemes}).
 */
export function resolveAuth(ir: ApiIr, op: IrOperation): { auth: StepAuth; required: boolean } {
  if (op.security.length === 0) return { auth: { mode: 'valid', schemes: [] }, required: false };
  const optional = op.security.some((alternative) => Object.keys(alternative).length === 0);
  const usable = op.security
    .map((alternative) => Object.keys(alternative))
    .filter(
      (keys) =>
        keys.length > 0 &&
        keys.every((k) => ir.securitySchemes[k] && ir.securitySchemes[k]?.type !== 'mutualTLS'),
    );
  const whole = usable.find((keys) => sendableSchemes(ir, keys).length === keys.length);
  const schemes = whole ?? (usable[0] ? sendableSchemes(ir, usable[0]) : []);
  return { auth: { mode: 'valid', schemes }, required: !optional && schemes.length > 0 };
}

/**
 * The first of the spec's examples for one place that its own schema accepts there (request view). An example
 * the schema rejects (a string given for an object, a number outside the enum, an integer rounded past 2^53)
 * is never sent as a valid value: a server that keeps the spec's promise would refuse it.
 */
export function validExample(
  ctx: PlanContext,
  examples: readonly unknown[],
  schema: JsonSchema | undefined,
): { value: unknown } | undefined {
  const env = { schemas: ctx.ir.schemas, view: 'request' as const };
  return sendableExample(examples, (example) => schema === undefined || conforms(schema, example, env));
}

/**
 * A valid value for a parameter: its first example the schema accepts, else a synthesised value (which
 * honours a valid `default`).
 */
export function validParamValue(ctx: PlanContext, param: IrParameter, rng: Rng): unknown {
  const example = validExample(ctx, param.examples, param.schema);
  if (example !== undefined) return example.value;
  return synthesizeValid(param.schema, requestSynth(ctx, rng.fork(paramKey(param))));
}

/**
 * A valid body for the operation: the first example its schema accepts, else a synthesised one. `minimal` synthesises only what
 * the schema requires (setup steps: the smallest resource that lets the test run).
 */
export function validBody(
  ctx: PlanContext,
  op: IrOperation,
  rng: Rng,
  options: { minimal?: boolean } = {},
): OperationContext['body'] {
  // A GET or HEAD body is never sent (see sendsNoBody): nothing to make, vary or violate.
  const picked = sendsNoBody(op) ? undefined : pickBodyMedia(op);
  if (!picked) return undefined;
  // An XML body is written as XML from the value made for its schema (xml-body.ts), not sent as JSON text.
  const choice =
    picked.kind === 'text' && isXmlMediaType(picked.media.mediaType)
      ? { ...picked, xmlSchemas: ctx.ir.schemas }
      : picked;
  const schema = choice.media.schema;
  // A text body's string example is the document as sent (XML, CSV): its schema describes the parsed
  // content, which a JSON Schema check of the text cannot judge.
  const textExample =
    choice.kind === 'text' ? choice.media.examples.find((e) => typeof e === 'string') : undefined;
  if (textExample !== undefined) return { choice, value: textExample, schema };
  const example = validExample(ctx, choice.media.examples, schema);
  if (example !== undefined) return { choice, value: example.value, schema };
  const synth = { ...requestSynth(ctx, rng.fork('body')), ...(options.minimal ? { maxDepth: 0 } : {}) };
  const value = schema === undefined ? {} : synthesizeValid(schema, synth);
  return { choice, value, schema };
}

interface Binding {
  setup: TestStep[];
  values: Record<string, unknown>;
  unbound: string[];
  /** The unbound parameters nothing creates (the ones a `--path-param` value fixes; the rest follow from them). */
  missing: string[];
}

/** Creates setup steps for every path parameter of `op` that some operation produces. */
function bindPathParams(ctx: PlanContext, op: IrOperation, depth: number, usedVars: Set<string>): Binding {
  const binding: Binding = { setup: [], values: {}, unbound: [], missing: [] };
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    const given = Object.hasOwn(ctx.pathParams, param.name) ? ctx.pathParams[param.name] : undefined;
    if (given !== undefined) {
      // A value the user knows exists: sent as given, and nothing needs creating first.
      binding.values[paramKey(param)] = given;
      continue;
    }
    const producer = depth < 3 ? ctx.producers.find(op, param.name) : undefined;
    if (!producer) {
      // A value of the request (`/fibonacci/{n}`) is simply sent; a resource nothing creates may not exist.
      if (namesResource(ctx.ir, op, param, { hasProducer: false })) {
        binding.unbound.push(param.name);
        binding.missing.push(param.name);
      }
      binding.values[paramKey(param)] = validParamValue(ctx, param, ctx.rng.fork(`${op.id}:${param.name}`));
      continue;
    }
    const inner = bindPathParams(ctx, producer.op, depth + 1, usedVars);
    if (inner.unbound.length > 0) {
      binding.unbound.push(param.name);
      binding.missing.push(...inner.missing.filter((name) => !binding.missing.includes(name)));
      binding.values[paramKey(param)] = validParamValue(ctx, param, ctx.rng.fork(`${op.id}:${param.name}`));
      continue;
    }
    let name = param.name.replace(/[^A-Za-z0-9_]/g, '_');
    while (usedVars.has(name)) name = `${name}_`;
    usedVars.add(name);
    const input = setupInput(ctx, producer.op);
    const params = { ...input.params, ...inner.values };
    const body = input.body;
    binding.setup.push(...inner.setup);
    binding.setup.push(
      buildStep(producer.op, {
        params,
        body: body ? { choice: body.choice, value: body.value } : undefined,
        auth: resolveAuth(ctx.ir, producer.op).auth,
        expect: acceptanceExpectation(producer.op),
        capture: { [name]: producer.pointer },
      }),
    );
    binding.values[paramKey(param)] = { $var: name } satisfies VarRef;
  }
  return binding;
}

/** The non-path parameters and body a setup step sends to `producer` (the same for every caller). */
function setupInput(
  ctx: PlanContext,
  producer: IrOperation,
): { params: Record<string, unknown>; body: OperationContext['body'] } {
  let input = ctx.memo.setupInputs.get(producer);
  if (!input) {
    const rng = ctx.rng.fork(`setup:${producer.id}`);
    input = {
      params: requiredParams(ctx, producer, rng),
      body: validBody(ctx, producer, rng, { minimal: true }),
    };
    ctx.memo.setupInputs.set(producer, input);
  }
  return input;
}

/** Values for the required (and exemplified) non-path parameters. */
export function requiredParams(ctx: PlanContext, op: IrOperation, rng: Rng): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const param of usableParameters(op)) {
    if (param.in === 'path') continue;
    if (param.required || param.examples.length > 0)
      values[paramKey(param)] = validParamValue(ctx, param, rng);
  }
  return values;
}

/** Builds the context of one operation. Deterministic: depends only on the seed and the operation id. */
export function buildOperationContext(ctx: PlanContext, op: IrOperation): OperationContext {
  let built = ctx.memo.contexts.get(op);
  if (!built) {
    built = computeOperationContext(ctx, op);
    ctx.memo.contexts.set(op, built);
  }
  return built;
}

function computeOperationContext(ctx: PlanContext, op: IrOperation): OperationContext {
  const rng = ctx.rng.fork(`op:${op.id}`);
  const binding = bindPathParams(ctx, op, 0, new Set());
  const { auth, required } = resolveAuth(ctx.ir, op);
  return {
    op,
    validAuth: auth,
    authRequired: required,
    params: { ...requiredParams(ctx, op, rng), ...binding.values },
    body: validBody(ctx, op, rng),
    setup: binding.setup,
    unboundPathParams: binding.unbound,
    missingPathParams: binding.missing,
    success: successStatuses(op),
    rng,
  };
}

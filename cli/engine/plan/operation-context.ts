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
import { isIssuedValue } from './issued-values.ts';
import { namesResource } from './path-param-kind.ts';
import { orderedRanges } from './range-order.ts';
import { fewestItems, mapSlot, nestedReferenceSlots, type ReferenceSlot } from './reference-slots.ts';
import {
  type BodyChoice,
  buildStep,
  paramKey,
  pickBodyMedia,
  sendsNoBody,
  usableParameters,
} from './request-builder.ts';
import {
  createProducerIndex,
  objectProperties,
  type Producer,
  type ProducerIndex,
  type Reference,
  resolveSchema,
} from './resources.ts';
import { isVarRef } from './serialize-params.ts';
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
    /** The nested places of each operation's body that hold references (reference-slots.ts). */
    referenceSlots: Map<IrOperation, ReferenceSlot[]>;
  };
}

export interface OperationContext {
  /** The planning run it belongs to. */
  ctx: PlanContext;
  op: IrOperation;
  /** Credentials that satisfy the operation's security (empty `schemes` when none are needed). */
  validAuth: StepAuth;
  /** True when the operation cannot be called anonymously. */
  authRequired: boolean;
  /** Valid values by parameter key; path parameters bound by setup are {@link VarRef}s. */
  params: Record<string, unknown>;
  body?: {
    choice: BodyChoice;
    value: unknown;
    schema?: JsonSchema;
    /** The body with made-up values where `value` names resources the setup creates (see boundReferences). */
    sample?: unknown;
  };
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
  /**
   * Body properties that hold the id of a resource a setup step creates (`venueId` after `POST /venues`):
   * `body.value` holds a {@link VarRef} there and `body.sample` the value made for it; they are not inputs.
   */
  boundReferences: ReadonlySet<string>;
  /**
   * Body properties that hold the id of a resource the spec names but nothing creates: the value sent may
   * name nothing, so a valid request that sends one may meet the declared 4xx.
   */
  unboundReferences: readonly string[];
  /**
   * The variables each producer's setup steps captured their resources' ids in (shared with later steps), in
   * the order the body's references use them.
   */
  referenceVars: ReadonlyMap<IrOperation, readonly string[]>;
  /** The top-level properties of the JSON request body's schema (none for another kind of body). */
  bodyProperties: readonly string[];
  /**
   * The places below the body's top level that hold the id of another resource (`items[].productId`): the
   * typical body holds a variable there where a setup step creates one; a made-up id there may name nothing.
   */
  referenceSlots: readonly ReferenceSlot[];
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
    memo: { contexts: new Map(), setupInputs: new Map(), referenceSlots: new Map() },
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
  /** Parameters sent with a value made up here, judged a plain value of the request (`/orgs/{org}`). */
  madeUp: string[];
}

/** The path up to and including `{name}`: `/warehouses/{warehouseId}/items` → `/warehouses/{warehouseId}`. */
function pathThrough(path: string, name: string): string | undefined {
  const at = path.indexOf(`{${name}}`);
  return at < 0 ? undefined : path.slice(0, at + name.length + 2);
}

/**
 * Creates setup steps for every path parameter of `op` that some operation produces. `outer` holds the
 * resources the caller's setup already creates, by the path through each parameter: a producer under the same
 * parent (`POST /warehouses/{warehouseId}/items` for `/warehouses/{warehouseId}/items/{sku}`) creates its
 * resource in that parent, not in a new one, so that the item is found where the request looks for it.
 */
function bindPathParams(
  ctx: PlanContext,
  op: IrOperation,
  depth: number,
  usedVars: Set<string>,
  outer: ReadonlyMap<string, unknown> = new Map(),
): Binding {
  const binding: Binding = { setup: [], values: {}, unbound: [], missing: [], madeUp: [] };
  const here = new Map(outer);
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    const given = Object.hasOwn(ctx.pathParams, param.name) ? ctx.pathParams[param.name] : undefined;
    if (given !== undefined) {
      // A value the user knows exists: sent as given, and nothing needs creating first.
      binding.values[paramKey(param)] = given;
      continue;
    }
    const through = pathThrough(op.path, param.name);
    // The parent the request names, by the path through it, else by its parameter's name (the room of
    // `/rooms/{buildingCode}/{roomNumber}` is made in the very building `{buildingCode}` names).
    const named = `{${param.name.toLowerCase()}}`;
    const shared = through !== undefined && here.has(through) ? through : here.has(named) ? named : undefined;
    if (shared !== undefined) {
      binding.values[paramKey(param)] = here.get(shared);
      continue;
    }
    const producer = depth < 3 ? ctx.producers.find(op, param.name) : undefined;
    if (!producer) {
      // A value of the request (`/fibonacci/{n}`) is simply sent; a resource nothing creates may not exist.
      if (namesResource(ctx.ir, op, param, { hasProducer: false })) {
        binding.unbound.push(param.name);
        binding.missing.push(param.name);
      } else binding.madeUp.push(param.name);
      binding.values[paramKey(param)] = validParamValue(ctx, param, ctx.rng.fork(`${op.id}:${param.name}`));
      continue;
    }
    const inner = bindPathParams(ctx, producer.op, depth + 1, usedVars, here);
    // A guessed creator under a made-up parent would make the request strict about a resource in nothing.
    if (inner.unbound.length > 0 || (producer.guessed && inner.madeUp.length > 0)) {
      binding.unbound.push(param.name);
      // Under a made-up parent, it is this parameter whose value the user has to give.
      const missing = inner.missing.length > 0 ? inner.missing : [param.name];
      binding.missing.push(...missing.filter((name) => !binding.missing.includes(name)));
      binding.values[paramKey(param)] = validParamValue(ctx, param, ctx.rng.fork(`${op.id}:${param.name}`));
      continue;
    }
    const name = freshVar(param.name, usedVars);
    const input = setupInput(ctx, producer.op);
    const params = { ...input.params, ...inner.values };
    const body = input.body;
    // The producer's body may refer to other resources (an event's venueId): those are made first.
    const references = flowBody(ctx, producer.op, body?.value, { usedVars, vars: new Map() }, depth + 1);
    binding.setup.push(...inner.setup, ...references.setup);
    binding.setup.push(
      buildStep(producer.op, {
        params,
        body: body ? { choice: body.choice, value: references.value } : undefined,
        auth: resolveAuth(ctx.ir, producer.op).auth,
        expect: acceptanceExpectation(producer.op),
        capture: { [name]: producer.pointer },
      }),
    );
    binding.values[paramKey(param)] = { $var: name } satisfies VarRef;
    if (through !== undefined) here.set(through, binding.values[paramKey(param)]);
    here.set(named, binding.values[paramKey(param)]);
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

/**
 * Values for the required (and exemplified) non-path parameters; an optional value only the server issues (a precondition header, a cursor) is left out
 * (its example names nothing the server issued: issued-values.ts).
 */
export function requiredParams(ctx: PlanContext, op: IrOperation, rng: Rng): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const param of usableParameters(op)) {
    if (param.in === 'path') continue;
    if (param.required || (param.examples.length > 0 && !isIssuedValue(param)))
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
  const scope: ReferenceScope = { usedVars: new Set(), vars: new Map() };
  const binding = bindPathParams(ctx, op, 0, scope.usedVars);
  const { auth, required } = resolveAuth(ctx.ir, op);
  const made = fewestLines(ctx, op, validBody(ctx, op, rng));
  const references = bindBodyReferences(ctx, op, made?.value, 0, scope);
  const body =
    made && references.value !== made.value ? { ...made, value: references.value, sample: made.value } : made;
  return {
    ctx,
    op,
    validAuth: auth,
    authRequired: required,
    params: { ...requiredParams(ctx, op, rng), ...binding.values },
    body,
    setup: [...binding.setup, ...references.setup],
    unboundPathParams: binding.unbound,
    missingPathParams: binding.missing,
    success: successStatuses(op),
    rng,
    boundReferences: references.bound,
    unboundReferences: references.unbound,
    referenceVars: scope.vars,
    bodyProperties:
      made?.choice.kind === 'json' ? Object.keys(objectProperties(ctx.ir, made.choice.media.schema)) : [],
    referenceSlots: made?.choice.kind === 'json' ? referenceSlotsOf(ctx, op) : [],
  };
}

/**
 * Variable names taken in one case, and the variables each producer's setup steps captured ids in (the first
 * reference of a body to a producer's resource uses the first, a second one, `toIban` after `fromIban`, the
 * second: two references of one body name two resources). Lists are replaced, never changed in place.
 */
export interface ReferenceScope {
  usedVars: Set<string>;
  vars: Map<IrOperation, readonly string[]>;
}

/** How deep setup steps may nest: a producer's own path parameters and references count one level each. */
const MAX_SETUP_DEPTH = 3;

/** A variable name made from `name`, not yet used in `usedVars` (and now taken). */
function freshVar(name: string, usedVars: Set<string>): string {
  let variable = name.replace(/[^A-Za-z0-9_]/g, '_');
  while (usedVars.has(variable)) variable = `${variable}_`;
  usedVars.add(variable);
  return variable;
}

/**
 * The typical body with each array that holds references cut to the fewest items it may have
 * (reference-slots.ts `fewestItems`): its lines then name resources that setup steps make, none twice.
 */
function fewestLines(
  ctx: PlanContext,
  op: IrOperation,
  body: OperationContext['body'],
): OperationContext['body'] {
  if (body?.choice.kind !== 'json') return body;
  let value = body.value;
  for (const slot of referenceSlotsOf(ctx, op)) value = fewestItems(value, slot);
  return value === body.value ? body : { ...body, value };
}

/** The nested places of `op`'s JSON body that hold references ({@link nestedReferenceSlots}), once per run. */
function referenceSlotsOf(ctx: PlanContext, op: IrOperation): ReferenceSlot[] {
  let slots = ctx.memo.referenceSlots.get(op);
  if (!slots) {
    const picked = pickBodyMedia(op);
    slots =
      picked?.kind === 'json' ? nestedReferenceSlots(ctx.ir, ctx.producers, op, picked.media.schema) : [];
    ctx.memo.referenceSlots.set(op, slots);
  }
  return slots;
}

/**
 * Binds the properties of a JSON object body of `op` that hold the id of a resource some operation creates
 * (resources.ts `reference`), at its top level and below it (`items[].productId`, reference-slots.ts): setup
 * steps create each such resource (once per producer in `scope`) and the property holds the captured id.
 * Top-level properties that refer to a resource nothing creates, or that the body leaves out (a case that adds
 * one makes its value up), are listed `unbound`.
 */
export function bindBodyReferences(
  ctx: PlanContext,
  op: IrOperation,
  value: unknown,
  depth: number,
  scope: ReferenceScope,
): { setup: TestStep[]; value: unknown; bound: Set<string>; unbound: string[] } {
  const none = { setup: [], value, bound: new Set<string>(), unbound: [] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return none;
  const picked = pickBodyMedia(op);
  if (picked?.kind !== 'json') return none;
  const properties = objectProperties(ctx.ir, picked.media.schema);
  const setup: TestStep[] = [];
  const bound = new Set<string>();
  const unbound: string[] = [];
  // The variable holding the id of a resource `reference` names: captured by a step made here, or earlier.
  // Each reference of this body to the same producer's resources names another one.
  const uses = new Map<IrOperation, number>();
  // The references bound so far, by `{name}`: a resource made for a later one is made in them (the room a
  // reservation names is made in the building its `buildingCode` names).
  const boundByName = new Map<string, unknown>();
  const variableFor = (name: string, reference: Reference): string | undefined => {
    const producer = reference.producer;
    if (!producer) return undefined;
    const ordinal = uses.get(producer.op) ?? 0;
    uses.set(producer.op, ordinal + 1);
    const taken = scope.vars.get(producer.op) ?? [];
    let variable = taken[ordinal];
    if (variable === undefined && depth < MAX_SETUP_DEPTH) {
      const made = producerSteps(ctx, producer, depth + 1, scope, boundByName);
      if (made) {
        variable = freshVar(name, scope.usedVars);
        const last = made.steps.at(-1) as TestStep;
        made.steps[made.steps.length - 1] = {
          ...last,
          capture: { ...last.capture, [variable]: producer.pointer },
        };
        scope.vars.set(producer.op, [...(scope.vars.get(producer.op) ?? []), variable]);
        setup.push(...made.steps);
      }
    }
    return variable;
  };
  let out: Record<string, unknown> | undefined;
  // Parents first: a reference whose creator has fewer path parameters (a building) before one made in it.
  const depthOf = (name: string) =>
    ctx.producers.reference(op, name, properties[name])?.producer?.op.path.split('{').length ?? 0;
  const entries = Object.entries(value as Record<string, unknown>).sort(
    ([a], [b]) => depthOf(a) - depthOf(b),
  );
  for (const [name, item] of entries) {
    // An id, or a list of ids (`labelIds`): a list holds one, unless its schema wants more.
    const list = Array.isArray(item) && item.every((id) => typeof id === 'string' || typeof id === 'number');
    if (!list && typeof item !== 'string' && typeof item !== 'number' && item !== null) continue;
    const reference = ctx.producers.reference(op, name, properties[name]);
    if (!reference) continue;
    // None (`assigneeId: null`) names nothing; a case that sends one makes it up.
    if (item === null) {
      unbound.push(name);
      continue;
    }
    const fewest = list ? (resolveSchema(ctx.ir, properties[name])?.minItems ?? 0) : 0;
    const variable = list && (item.length === 0 || fewest > 1) ? undefined : variableFor(name, reference);
    if (variable === undefined) {
      unbound.push(name);
      continue;
    }
    out ??= { ...(value as Record<string, unknown>) };
    out[name] = list ? [{ $var: variable } satisfies VarRef] : ({ $var: variable } satisfies VarRef);
    if (!list) boundByName.set(`{${name.toLowerCase()}}`, out[name]);
    bound.add(name);
  }
  // A reference the body leaves out may be sent by a case that varies the body: with a made-up id.
  for (const [name, schema] of Object.entries(properties)) {
    if (Object.hasOwn(value, name) || unbound.includes(name)) continue;
    if (ctx.producers.reference(op, name, schema)) unbound.push(name);
  }
  // Below the top level, each id a setup step can make is bound the same way; the others stay as made.
  let body: unknown = out ?? value;
  for (const slot of referenceSlotsOf(ctx, op)) {
    const name = slot.path.at(-1) as string;
    body = mapSlot(body, slot.path, (found) => {
      if (typeof found !== 'string' && typeof found !== 'number') return found;
      const reference = ctx.producers.reference(op, name, undefined);
      const variable = reference ? variableFor(name, reference) : undefined;
      return variable === undefined ? found : ({ $var: variable } satisfies VarRef);
    });
  }
  return { setup, value: body, bound, unbound };
}

/**
 * The body a setup step or a step of a flow sends, where every request must be accepted: its references bound
 * ({@link bindBodyReferences}), optional ones to resources nothing creates left out, and each range in order.
 */
export function flowBody(
  ctx: PlanContext,
  op: IrOperation,
  value: unknown,
  scope: ReferenceScope,
  depth = 0,
): { setup: TestStep[]; value: unknown } {
  const references = bindBodyReferences(ctx, op, value, depth, scope);
  let body = references.value;
  const schema = pickBodyMedia(op)?.media.schema;
  const required = new Set(resolveSchema(ctx.ir, schema)?.required ?? []);
  const dropped = references.unbound.filter((name) => !required.has(name));
  if (dropped.length > 0 && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    body = Object.fromEntries(Object.entries(body).filter(([name]) => !dropped.includes(name)));
  }
  // So are the optional ones below the top level that no setup step could make (`items[].couponId`).
  for (const slot of referenceSlotsOf(ctx, op)) {
    if (!slot.required) body = mapSlot(body, slot.path, (found) => (isVarRef(found) ? found : undefined));
  }
  return { setup: references.setup, value: orderedRanges(body) };
}

/**
 * The operation's typical body as a step of a flow sends it ({@link flowBody}): its references are those its
 * own setup creates, so it needs no steps of its own.
 */
export function flowBodyOf(octx: OperationContext): unknown {
  const scope = { usedVars: new Set<string>(), vars: new Map(octx.referenceVars) };
  return flowBody(octx.ctx, octx.op, octx.body?.value, scope).value;
}

/**
 * The steps that create one resource of `producer` (its own path parameters' setup first, then the creating
 * call with its references bound), or undefined when a path parameter of it cannot be bound.
 */
function producerSteps(
  ctx: PlanContext,
  producer: Producer,
  depth: number,
  scope: ReferenceScope,
  outer: ReadonlyMap<string, unknown> = new Map(),
): { steps: TestStep[] } | undefined {
  const inner = bindPathParams(ctx, producer.op, depth, scope.usedVars, outer);
  if (inner.unbound.length > 0 || (producer.guessed && inner.madeUp.length > 0)) return undefined;
  const input = setupInput(ctx, producer.op);
  const references = flowBody(ctx, producer.op, input.body?.value, scope, depth);
  const body = input.body;
  return {
    steps: [
      ...inner.setup,
      ...references.setup,
      buildStep(producer.op, {
        params: { ...input.params, ...inner.values },
        body: body ? { choice: body.choice, value: references.value } : undefined,
        auth: resolveAuth(ctx.ir, producer.op).auth,
        expect: acceptanceExpectation(producer.op),
      }),
    ],
  };
}

/**
 * Stateful flows: create → read → update → read → delete → read is 404. Built from OpenAPI links where the
 * spec has them, else inferred from paths and schemas (see resources.ts).
 */
import type { IrOperation, JsonSchema } from '../ir/types.ts';
import type { PlannedCase } from './case-ids.ts';
import { describeOp, validInput } from './cases-basic.ts';
import { planIdempotenceCase } from './cases-oracles.ts';
import {
  buildOperationContext,
  flowBody,
  flowBodyOf,
  type OperationContext,
  type PlanContext,
  type ReferenceScope,
  requiredParams,
  validBody,
} from './operation-context.ts';
import { buildStep, paramKey } from './request-builder.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import { acceptanceExpectation, goneExpectation, successJsonResponse } from './statuses.ts';
import type { StepExpectation, TestStep, VarRef } from './types.ts';
import { uniqueSetup } from './unique-values.ts';

/**
 * Formats whose values a server may write back in another spelling of the same value (`…T00:00:00Z` as
 * `….000Z`, an e-mail domain in lower case): compared after normalising (see docs/checks.md).
 */
const NORMALISED_FORMATS = new Set(['date-time', 'date', 'time', 'uri', 'url', 'email', 'hostname']);
/** Formats whose values cannot be compared as sent (binary content). */
const UNCOMPARABLE_FORMATS = new Set(['byte', 'binary']);

/**
 * What a read-back must repeat of a sent body (`read_after_write`): every property that was sent and that the
 * read response declares, except write-only ones and binary content; objects are compared by the properties
 * sent, arrays in any order (docs/checks.md), and values of normalised formats after normalising.
 */
function comparableFields(
  ctx: PlanContext,
  sent: unknown,
  responseSchema: JsonSchema | undefined,
): Array<{ pointer: string; equals: unknown; format?: string }> {
  if (!sent || typeof sent !== 'object' || Array.isArray(sent)) return [];
  const properties = objectProperties(ctx.ir, responseSchema);
  const checks: Array<{ pointer: string; equals: unknown; format?: string }> = [];
  for (const [name, value] of Object.entries(sent as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    const schema = resolveSchema(ctx.ir, properties[name]);
    if (!schema || schema.writeOnly === true || schema.readOnly === true) continue;
    const format = typeof schema.format === 'string' ? schema.format : undefined;
    if (format && UNCOMPARABLE_FORMATS.has(format)) continue;
    checks.push({
      pointer: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      equals: value,
      ...(format && NORMALISED_FORMATS.has(format) ? { format } : {}),
    });
  }
  return checks;
}

function readSchema(op: IrOperation): JsonSchema | undefined {
  return successJsonResponse(op)?.media?.schema;
}

interface ItemOps {
  paramName: string;
  pointer: string;
  get?: IrOperation;
  update?: IrOperation;
  remove?: IrOperation;
}

const itemIndexes = new WeakMap<PlanContext, Map<IrOperation, ItemOps>>();

/** Groups, for every creating operation, the operations on the item it produces (computed once per run). */
function itemOperations(ctx: PlanContext, creator: IrOperation): ItemOps | undefined {
  let index = itemIndexes.get(ctx);
  if (!index) {
    index = new Map();
    for (const op of ctx.ir.operations) {
      const last = op.parameters.find((p) => p.in === 'path' && op.path.endsWith(`{${p.name}}`));
      if (!last) continue;
      const producer = ctx.producers.find(op, last.name);
      if (!producer) continue;
      let found = index.get(producer.op);
      if (found && (found.paramName !== last.name || found.pointer !== producer.pointer)) continue;
      if (!found) {
        found = { paramName: last.name, pointer: producer.pointer };
        index.set(producer.op, found);
      }
      if (op.method === 'get') found.get ??= op;
      else if (op.method === 'put' || op.method === 'patch') found.update ??= op;
      else if (op.method === 'delete') found.remove ??= op;
    }
    itemIndexes.set(ctx, index);
  }
  return index.get(creator);
}

/** One flow per creating operation whose item can at least be read back. */
export function planStatefulCases(ctx: PlanContext, creator: IrOperation): PlannedCase[] {
  if (creator.method !== 'post') return [];
  const items = itemOperations(ctx, creator);
  if (!items?.get) return [];
  const create = buildOperationContext(ctx, creator);
  if (create.unboundPathParams.length > 0 || create.success.length === 0) return [];
  const variable = items.paramName.replace(/[^A-Za-z0-9_]/g, '_');
  const idRef: VarRef = { $var: variable };
  const itemParams = (op: IrOperation): Record<string, unknown> => {
    const params: Record<string, unknown> = requiredParams(ctx, op, create.rng.fork(`stateful:${op.id}`));
    for (const p of op.parameters.filter((q) => q.in === 'path')) {
      params[paramKey(p)] = p.name === items.paramName ? idRef : create.params[paramKey(p)];
    }
    return params;
  };
  const itemStep = (op: IrOperation, extra: Partial<Parameters<typeof buildStep>[1]> = {}): TestStep =>
    buildStep(op, {
      params: itemParams(op),
      auth: buildOperationContext(ctx, op).validAuth,
      expect: acceptanceExpectation(op),
      ...extra,
    });
  // The flow's own resource: values of its own, which a server may keep unique (unique-values.ts).
  const rng = create.rng.fork('unique:lifecycle');
  const steps: TestStep[] = uniqueSetup(
    ctx,
    [
      ...create.setup,
      buildStep(creator, {
        ...validInput(
          create,
          create.body ? { body: { choice: create.body.choice, value: flowBodyOf(create) } } : {},
        ),
        capture: { [variable]: items.pointer },
      }),
    ],
    () => rng,
  );
  const get = items.get;
  const sentOnCreate = steps.at(-1)?.body?.value;
  steps.push(itemStep(get, { expect: readExpect(ctx, get, sentOnCreate) }));
  const names = [describeOp(creator), 'GET'];
  if (items.update) {
    const body = validBody(ctx, items.update, create.rng.fork('stateful:update-body'));
    // The ids of other resources it names are those the create steps made (or new ones, made first).
    const references = flowBody(ctx, items.update, body?.value, referenceScope(create, steps));
    const [update] = uniqueSetup(
      ctx,
      [itemStep(items.update, { body: body ? { choice: body.choice, value: references.value } : undefined })],
      () => rng.fork('update'),
    );
    steps.push(...references.setup, update as TestStep);
    steps.push(itemStep(get, { expect: readExpect(ctx, get, update?.body?.value) }));
    names.push(items.update.method.toUpperCase(), 'GET');
  }
  if (items.remove) {
    steps.push(itemStep(items.remove));
    steps.push(itemStep(get, { expect: goneExpectation(get) }));
    names.push('DELETE', 'GET is gone');
  }
  const title = `Lifecycle of ${creator.path}: ${names.join(' → ')}`;
  const lifecycle: PlannedCase = {
    key: 'lifecycle',
    category: 'stateful',
    operationId: creator.id,
    title,
    tags: creator.tags,
    steps,
  };
  const put = items.update?.method === 'put' ? items.update : undefined;
  // The create steps of the lifecycle (setup and the creating call, which captures the id).
  const createSteps = steps.slice(0, create.setup.length + 1);
  const idempotence = put
    ? planIdempotenceCase(
        ctx,
        { creator, get, put },
        itemStep,
        createSteps,
        referenceScope(create, createSteps),
      )
    : [];
  return [lifecycle, ...idempotence];
}

/** The variables the steps so far captured, and those holding the ids of resources `create`'s setup made. */
function referenceScope(create: OperationContext, steps: readonly TestStep[]): ReferenceScope {
  return {
    usedVars: new Set(steps.flatMap((step) => Object.keys(step.capture ?? {}))),
    vars: new Map(create.referenceVars),
  };
}

function readExpect(ctx: PlanContext, get: IrOperation, sent: unknown): StepExpectation {
  const bodyEquals = comparableFields(ctx, sent, readSchema(get));
  return { ...acceptanceExpectation(get), ...(bodyEquals.length > 0 ? { bodyEquals } : {}) };
}

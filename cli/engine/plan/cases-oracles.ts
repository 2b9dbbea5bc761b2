/**
 * Cases for the oracles that look past one response (docs/checks.md):
 * - `unsupported_method`: a method a declared path does not list must be refused (never a 2xx or 5xx);
 * - `filter_consistency`: a list called with a query parameter that names a property of its items returns
 *   only items with that value (after a setup step created one with another value, so a filter the server
 *   ignores shows); category `stateful`, as it judges the items the server holds, not one answer's shape;
 * - `idempotence`: a PUT repeated with the same body leaves the resource as one PUT did.
 * Each is planned only where the spec says enough to make the expectation certain.
 */
import { slug } from '../data/class-keys.ts';
import type { HttpMethod, IrOperation, IrParameter, JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { keyOf, type PlannedCase } from './case-ids.ts';
import { describeOp, validInput } from './cases-basic.ts';
import {
  buildOperationContext,
  flowBody,
  flowBodyOf,
  type OperationContext,
  type PlanContext,
  type ReferenceScope,
  validBody,
} from './operation-context.ts';
import { authNote, buildStep, paramKey, usableParameters } from './request-builder.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import { acceptanceExpectation, isJsonMediaType } from './statuses.ts';
import type { TestStep } from './types.ts';
import { uniqueSetup } from './unique-values.ts';

/** Methods tried on a path that does not declare them, most harmless first. */
const UNDECLARED_METHOD_ORDER: readonly HttpMethod[] = ['patch', 'put', 'post', 'delete', 'get'];

/**
 * One case per path (planned with the path's first operation): a method the path does not declare, sent with
 * valid credentials and the path's resources created, must be refused with a 4xx (or 501).
 */
export function planUnsupportedMethodCase(ctx: PlanContext, octx: OperationContext): PlannedCase[] {
  const onPath = ctx.ir.operations.filter((op) => op.path === octx.op.path);
  if (onPath[0] !== octx.op) return [];
  const declared = new Set(onPath.map((op) => op.method));
  const method = UNDECLARED_METHOD_ORDER.find((candidate) => !declared.has(candidate));
  if (!method) return [];
  const own = buildStep(octx.op, validInput(octx));
  const step: TestStep = {
    ...own,
    method: method.toUpperCase(),
    // Only the path: what a handler for another method would take is unknown.
    query: [],
    headers: {},
    cookies: {},
    expect: { status: ['4XX', '501'], check: 'unsupported_method', validateBody: false },
  };
  delete step.body;
  delete step.note;
  const credentials = authNote(octx.op, step.auth);
  if (credentials) step.note = credentials;
  const title = `${method.toUpperCase()} ${octx.op.path}, which the spec does not declare, is refused`;
  return [
    {
      key: keyOf('unsupported', method),
      category: 'negative',
      operationId: octx.op.id,
      title,
      tags: octx.op.tags,
      steps: [...uniqueSetup(ctx, octx.setup, () => octx.rng.fork('unique:unsupported')), step],
    },
  ];
}

/** Query parameters that never filter by equality, whatever property they share a name with. */
const NOT_A_FILTER =
  /^(q|query|search|sort|sort_?by|order|order_?by|fields|expand|include|format|page|cursor|limit|offset|per_?page)$/i;

/** Where a list response keeps its items: `''` (the body is the array) or `/items`, and the item schema. */
function listedItems(ctx: PlanContext, op: IrOperation): { pointer: string; item: JsonSchema } | undefined {
  const ok = op.responses.find((r) => r.status === '200' || r.status === '2XX');
  const media = ok?.contents.find((c) => isJsonMediaType(c.mediaType));
  const body = resolveSchema(ctx.ir, media?.schema);
  if (!body) return undefined;
  if (body.type === 'array' && body.items !== undefined)
    return { pointer: '', item: body.items as JsonSchema };
  const arrays = Object.entries(objectProperties(ctx.ir, body)).filter(
    ([, schema]) => resolveSchema(ctx.ir, schema)?.type === 'array',
  );
  // Only one array property: which one holds the items is then certain.
  if (arrays.length !== 1) return undefined;
  const [name, schema] = arrays[0] as [string, JsonSchema];
  const items = resolveSchema(ctx.ir, schema)?.items;
  return items === undefined ? undefined : { pointer: `/${name}`, item: items as JsonSchema };
}

/** The values a filter parameter is tried with: each enum value (up to 3), both booleans. */
function filterValues(schema: JsonSchemaObject | undefined): unknown[] {
  if (!schema) return [];
  if (Array.isArray(schema.enum)) return schema.enum.filter((v) => v !== null).slice(0, 3);
  if (schema.type === 'boolean') return [true, false];
  return [];
}

/** The creating operation of the listed items (POST on the same path), if its body can carry the property. */
function creatorFor(ctx: PlanContext, list: IrOperation, property: string): IrOperation | undefined {
  const post = ctx.ir.operations.find((op) => op.method === 'post' && op.path === list.path);
  if (!post) return undefined;
  const body = buildOperationContext(ctx, post).body;
  if (body?.choice.kind !== 'json' || body.schema === undefined) return undefined;
  return property in objectProperties(ctx.ir, body.schema) ? post : undefined;
}

/**
 * For each query parameter of a list operation that names a property of its items and takes a closed set of
 * values (an enum, a boolean): one case per value. When the list's path also creates items, an item with
 * another value is created first, so a filter the server ignores is seen.
 */
export function planFilterCases(ctx: PlanContext, octx: OperationContext): PlannedCase[] {
  if (octx.op.method !== 'get' || octx.success.length === 0) return [];
  const listed = listedItems(ctx, octx.op);
  if (!listed) return [];
  const properties = objectProperties(ctx.ir, listed.item);
  const cases: PlannedCase[] = [];
  for (const param of usableParameters(octx.op).filter((p) => p.in === 'query')) {
    if (NOT_A_FILTER.test(param.name) || !(param.name in properties)) continue;
    const values = filterValues(resolveSchema(ctx.ir, param.schema));
    const propertyValues = filterValues(resolveSchema(ctx.ir, properties[param.name]));
    // The property must take the same values, or the filter means something else.
    if (values.length < 2 || values.some((value) => !propertyValues.includes(value))) continue;
    for (const value of values) cases.push(...filterCase(ctx, octx, { param, value, values, listed }));
  }
  return cases;
}

function filterCase(
  ctx: PlanContext,
  octx: OperationContext,
  input: { param: IrParameter; value: unknown; values: unknown[]; listed: { pointer: string } },
): PlannedCase[] {
  const { param, value, values, listed } = input;
  const other = values.find((candidate) => candidate !== value);
  const creator = creatorFor(ctx, octx.op, param.name);
  const setup: TestStep[] = [...octx.setup];
  if (creator && other !== undefined) {
    const cctx = buildOperationContext(ctx, creator);
    const body = cctx.body;
    if (body) {
      const sent = { ...(flowBodyOf(cctx) as Record<string, unknown>), [param.name]: other };
      setup.push(
        ...cctx.setup,
        buildStep(creator, validInput(cctx, { body: { choice: body.choice, value: sent } })),
      );
    }
  }
  const params = { ...octx.params, [paramKey(param)]: value };
  const step = buildStep(octx.op, {
    ...validInput(octx, { params }),
    expect: {
      ...acceptanceExpectation(octx.op),
      itemsMatch: { pointer: listed.pointer, property: param.name, equals: value },
    },
  });
  const title = `${describeOp(octx.op)} with ${param.name}=${JSON.stringify(value)} lists only items whose ${param.name} is ${JSON.stringify(value)}`;
  return [
    {
      key: keyOf('filter', param.name, slug(value)),
      category: 'stateful',
      operationId: octx.op.id,
      title,
      tags: octx.op.tags,
      steps: [
        ...uniqueSetup(ctx, setup, () => octx.rng.fork(`unique:filter:${param.name}:${slug(value)}`)),
        step,
      ],
    },
  ];
}

/** Properties a server may change on every write: read-only ones, timestamps, versions. */
function changesOnEveryWrite(name: string, schema: JsonSchemaObject | undefined): boolean {
  if (schema?.readOnly === true) return true;
  if (schema?.format === 'date-time') return true;
  return /(updated|modified|changed|version|etag|revision|timestamp|^last)/i.test(name);
}

/** How deep in nested objects {@link volatilePointers} looks (JSON:API keeps them at `/data/attributes/…`). */
const VOLATILE_DEPTH = 4;

/**
 * JSON pointers of the properties of a read response that may change on every write ({@link changesOnEveryWrite}),
 * in nested objects too (`/meta/updated_at`, `/data/attributes/updatedAt`); a property that changes is left
 * out whole, with what it holds.
 */
function volatilePointers(ctx: PlanContext, schema: JsonSchema | undefined, at = '', depth = 0): string[] {
  if (depth >= VOLATILE_DEPTH) return [];
  const pointers: string[] = [];
  for (const [name, property] of Object.entries(objectProperties(ctx.ir, schema))) {
    const pointer = `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (changesOnEveryWrite(name, resolveSchema(ctx.ir, property))) pointers.push(pointer);
    else pointers.push(...volatilePointers(ctx, property, pointer, depth + 1));
  }
  return pointers;
}

/**
 * A create → PUT → GET → same PUT → GET flow: the second read must equal the first, except for properties
 * that change on every write. Planned for creators whose items are read with GET and replaced with PUT.
 */
export function planIdempotenceCase(
  ctx: PlanContext,
  items: { creator: IrOperation; get: IrOperation; put: IrOperation },
  itemStep: (op: IrOperation, extra?: Partial<Parameters<typeof buildStep>[1]>) => TestStep,
  createSteps: TestStep[],
  scope: ReferenceScope,
): PlannedCase[] {
  const { creator, get, put } = items;
  const made = validBody(ctx, put, buildOperationContext(ctx, creator).rng.fork('idempotence:put-body'));
  if (!made) return [];
  const references = flowBody(ctx, put, made.value, scope);
  const body = { ...made, value: references.value };
  const readSchema = get.responses
    .find((r) => r.status.startsWith('2'))
    ?.contents.find((c) => isJsonMediaType(c.mediaType))?.schema;
  const ignore = volatilePointers(ctx, readSchema);
  const sent = { body: { choice: body.choice, value: body.value } };
  // Its own resource (values of its own: a server may keep some unique), then the same PUT twice.
  const rng = () => buildOperationContext(ctx, creator).rng.fork('unique:idempotence');
  const steps: TestStep[] = [
    ...uniqueSetup(ctx, [...createSteps, ...references.setup], rng),
    itemStep(put, sent),
    { ...itemStep(get), snapshot: 'after_first_put' },
    itemStep(put, sent),
    itemStep(get, {
      expect: { ...acceptanceExpectation(get), sameAs: { snapshot: 'after_first_put', ignore } },
    }),
  ];
  const title = `${put.method.toUpperCase()} ${put.path} repeated with the same body leaves the resource as one call did`;
  return [
    {
      key: 'idempotent_put',
      category: 'stateful',
      operationId: creator.id,
      title,
      tags: creator.tags,
      steps,
    },
  ];
}

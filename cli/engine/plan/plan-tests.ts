/**
 * Plans test cases for an API: the stage between the IR and the renderers.
 */
import { combinationsPerOperation } from '../data/depth.ts';
import { applySchemaView } from '../data/view.ts';
import type { ApiIr, IrOperation, JsonSchema } from '../ir/types.ts';
import { assignCaseIds, type PlannedCase } from './case-ids.ts';
import { planAuthCases, planContractCases } from './cases-basic.ts';
import { planInputCases } from './cases-inputs.ts';
import { planFilterCases, planUnsupportedMethodCase } from './cases-oracles.ts';
import { planStatefulCases } from './cases-stateful.ts';
import { planBoundaryCases, planNegativeCases } from './cases-values.ts';
import { buildOperationContext, createPlanContext } from './operation-context.ts';
import { planSampleData } from './sample-data.ts';
import {
  CATEGORIES,
  type Category,
  type Depth,
  type PlanDiagnostic,
  type PlanOperation,
  type TestCase,
  type TestPlan,
} from './types.ts';
import { usedSchemaNames } from './used-schemas.ts';

export interface PlanOptions {
  /** Seed for all synthesised data. @default 1 */
  seed?: number;
  /** How many inputs each case gets. @default 'quick' */
  depth?: Depth;
  /** Categories to plan. @default all */
  categories?: readonly Category[];
  /** Only operations carrying one of these tags. */
  tags?: readonly string[];
  /** Only these operations (IR id or operationId). */
  operations?: readonly string[];
  /** The operations to plan, already chosen with {@link selectOperations}: `tags` and `operations` are not applied again. */
  selected?: readonly IrOperation[];
  /** Rows of sample data per object schema; 0 plans none (only the sql and json formats show it). @default 3 */
  sampleRows?: number;
  /**
   * Values for path parameters, by name, that name resources known to exist (`{owner: 'octocat'}`): sent
   * as given instead of synthesised values, so the operations under them expect success and can be set up.
   */
  pathParams?: Readonly<Record<string, string>>;
}

/** Operations kept by the tag and operation filters. */
export function selectOperations(ir: ApiIr, options: PlanOptions): IrOperation[] {
  const tags = options.tags && options.tags.length > 0 ? new Set(options.tags) : undefined;
  const ids = options.operations && options.operations.length > 0 ? new Set(options.operations) : undefined;
  return ir.operations.filter(
    (op) =>
      (!tags || op.tags.some((t) => tags.has(t))) &&
      (!ids || ids.has(op.id) || (op.operationId !== undefined && ids.has(op.operationId))),
  );
}

function planOperation(ir: ApiIr, op: IrOperation): PlanOperation {
  return {
    id: op.id,
    method: op.method.toUpperCase(),
    path: op.path,
    ...(op.summary ? { summary: op.summary } : {}),
    tags: op.tags,
    responses: op.responses.map((r) => {
      const headers = Object.entries(r.headers).map(([name, header]) => ({
        name,
        required: header.required,
        schema: applySchemaView(header.schema, 'response', ir.schemas),
      }));
      return {
        status: r.status,
        contents: r.contents.map((c) => ({
          mediaType: c.mediaType,
          ...(c.schema === undefined ? {} : { schema: applySchemaView(c.schema, 'response', ir.schemas) }),
        })),
        ...(headers.length > 0 ? { headers } : {}),
      };
    }),
  };
}

/** The selected operations plus every operation a step calls (setup and flow steps), in IR order. */
function referencedOperations(ir: ApiIr, selected: readonly IrOperation[], cases: TestCase[]): IrOperation[] {
  const ids = new Set(selected.map((op) => op.id));
  for (const c of cases) for (const step of c.steps) ids.add(step.operationId);
  return ir.operations.filter((op) => ids.has(op.id));
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Plans the cases of every selected operation. Deterministic for the same IR and options. The work is a
 * generator that yields after each operation, so a caller can run it in slices and stay responsive (see
 * {@link planTestsInSlices}); this drives it to the end in one go.
 */
export function planTests(ir: ApiIr, options: PlanOptions = {}): TestPlan {
  const planning = planningSteps(ir, options);
  for (;;) {
    const step = planning.next();
    if (step.done) return step.value;
  }
}

/** Options of {@link planTestsInSlices}. */
export interface SliceOptions {
  /** Stops planning (the promise rejects with the signal's reason) between two operations. */
  signal?: AbortSignal;
  /**
   * Longest stretch of planning between two turns of the event loop. Short, because work in flight beside the
   * planning (the licence request: imports, the HTTP round trip, the token check) moves one step per turn: with
   * 50 ms it finished well after a GitHub-sized plan instead of behind it. @default 10
   */
  sliceMs?: number;
}

/**
 * {@link planTests} in slices of about `sliceMs`, with a turn of the event loop between them: a signal
 * (Ctrl-C) is noticed within a slice even on a spec that takes seconds to plan. Same plan as planTests.
 */
export async function planTestsInSlices(
  ir: ApiIr,
  options: PlanOptions = {},
  slices: SliceOptions = {},
): Promise<TestPlan> {
  const sliceMs = slices.sliceMs ?? 10;
  const planning = planningSteps(ir, options);
  let sliceStart = performance.now();
  for (;;) {
    const step = planning.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    slices.signal?.throwIfAborted();
    sliceStart = performance.now();
  }
}

function* planningSteps(ir: ApiIr, options: PlanOptions): Generator<void, TestPlan, undefined> {
  const seed = options.seed ?? 1;
  const depth = options.depth ?? 'quick';
  const pathParams = options.pathParams ?? {};
  const ctx = createPlanContext(ir, seed, pathParams);
  const categories = new Set(
    options.categories && options.categories.length > 0 ? options.categories : CATEGORIES,
  );
  const operations = options.selected ?? selectOperations(ir, options);
  const perOperation = combinationsPerOperation(depth, operations.length);
  const diagnostics: PlanDiagnostic[] = [];
  /** Path parameters already reported as naming a resource nothing creates (once per name). */
  const unknownResources = new Set<string>();
  const planned: PlannedCase[] = [];
  const add = (more: readonly PlannedCase[]): void => {
    planned.push(...more);
  };
  for (const op of operations) {
    if (op.responses.length === 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'OPERATION_WITHOUT_RESPONSES',
        message: `${op.method.toUpperCase()} ${op.path} declares no responses; no cases planned for it`,
        operationId: op.id,
        pointer: op.pointer,
      });
      yield;
      continue;
    }
    const octx = buildOperationContext(ctx, op);
    for (const name of octx.missingPathParams) {
      if (unknownResources.has(name)) continue;
      unknownResources.add(name);
      diagnostics.push({
        severity: 'warning',
        code: 'PATH_PARAM_UNKNOWN_RESOURCE',
        parameter: name,
        message: `{${name}} names a resource that no operation of the spec creates, so the cases under it send a made-up value and accept the declared 4xx. Give a real one to test them fully: --path-param ${name}=<value>`,
        operationId: op.id,
        pointer: op.pointer,
      });
    }
    if (categories.has('contract')) {
      add(planContractCases(octx));
      add(planInputCases(ctx, octx, { depth, maxCombinations: perOperation }));
    }
    if (categories.has('negative')) {
      add(planNegativeCases(ctx, octx));
      add(planUnsupportedMethodCase(ctx, octx));
    }
    if (categories.has('boundary')) add(planBoundaryCases(ctx, octx));
    if (categories.has('auth')) add(planAuthCases(octx));
    if (categories.has('stateful')) {
      add(planStatefulCases(ctx, op));
      // A filter is a promise about the items the server holds, not about one answer's shape: it belongs with
      // the flows that write and read back (a server answering from the schema alone cannot keep it).
      add(planFilterCases(ctx, octx));
    }
    if (octx.success.length === 0 && categories.has('contract')) {
      diagnostics.push({
        severity: 'info',
        code: 'NO_SUCCESS_RESPONSE',
        message: `${op.method.toUpperCase()} ${op.path} declares no 2xx/3xx or default response; no contract case`,
        operationId: op.id,
        pointer: op.pointer,
      });
    }
    yield;
  }
  const cases = assignCaseIds(planned);
  const touched = referencedOperations(ir, operations, cases);
  // Only the schemas the planned operations use: unused definitions would cost time and output size.
  const used = usedSchemaNames(ir, touched);
  const schemas: Record<string, JsonSchema> = {};
  for (const name of used)
    schemas[name] = applySchemaView(ir.schemas[name] as JsonSchema, 'response', ir.schemas);
  const sampleRows = options.sampleRows ?? 3;
  return {
    planVersion: 2,
    api: { title: ir.title, version: ir.version },
    seed,
    depth,
    ...(Object.keys(pathParams).length > 0 ? { pathParams: sortedRecord(pathParams) } : {}),
    ...(ir.servers[0] ? { defaultBaseUrl: ir.servers[0].url } : {}),
    securitySchemes: ir.securitySchemes,
    schemas,
    operations: touched.map((op) => planOperation(ir, op)),
    cases,
    sampleData: sampleRows > 0 ? planSampleData(ir.schemas, seed, sampleRows, used) : [],
    diagnostics,
  };
}

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
import { buildOperationContext, createPlanContext, type PlanContext } from './operation-context.ts';
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

function planOperationEntry(ir: ApiIr, op: IrOperation): PlanOperation {
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
  const run = startPlanning(ir, options);
  const planning = planOperations(run, allIndices(run.operations.length));
  while (!planning.next().done);
  return assemblePlan(run);
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
  /** Another thread planning some of the operations beside this one (see {@link PlanShare}). */
  share?: PlanShare;
}

/**
 * Planning shared with another thread that has built the same IR (render/render-helper.ts): the operations go
 * in chunks of {@link PLAN_CHUNK}, and each thread claims the next chunk from a shared counter whenever it is
 * free. Planning one operation depends on nothing planned before it (every random stream is forked by name
 * from the seed, and the memos hold what the same input always gives), so the plan is the same whichever
 * thread planned which operation; only the order of the parts is the operations' order.
 */
export interface PlanShare {
  /** Operations per chunk ({@link PLAN_CHUNK} between threads). */
  readonly chunk: number;
  /** The first operation of the next chunk nobody has claimed, or undefined when every chunk is claimed. */
  claim(): number | undefined;
  /**
   * The parts the other thread planned, by operation index, once it has sent all it claimed. This thread
   * plans whatever is missing (the thread failed or stopped) and whatever part is not for the operation at its
   * index (the thread read a different spec).
   */
  collect(signal?: AbortSignal): Promise<ReadonlyMap<number, OperationPart>>;
  /**
   * The sample data of the schemas the selected operations use ({@link sampleDataOf}) and the ids of those
   * operations, when the other thread worked it out (it does so while the last operations are planned, if it
   * claimed the work before this thread asks); undefined when it did not: this thread then works it out.
   */
  sampleData(signal?: AbortSignal): Promise<SharedSampleData | undefined>;
  /** How many parts the other thread has sent, and why it stopped short if it did (for `--debug`). */
  planned(): { parts: number; failure?: string };
}

/** Sample data another thread worked out, and the operations (IR ids) it worked it out for. */
export interface SharedSampleData {
  operations: readonly string[];
  sampleData: TestPlan['sampleData'];
}

/** Operations per claimed chunk of shared planning: a few ms of work each on GitHub's description. */
export const PLAN_CHUNK = 8;

/**
 * {@link planTests} in slices of about `sliceMs`, with a turn of the event loop between them: a signal
 * (Ctrl-C) is noticed within a slice even on a spec that takes seconds to plan. Same plan as planTests,
 * whether or not another thread shares the work.
 */
export async function planTestsInSlices(
  ir: ApiIr,
  options: PlanOptions = {},
  slices: SliceOptions = {},
): Promise<TestPlan> {
  const sliceMs = slices.sliceMs ?? 10;
  const run = startPlanning(ir, options);
  const { share } = slices;
  const plan = async (indices: Iterable<number>): Promise<void> => {
    let sliceStart = performance.now();
    for (const _ of planOperations(run, indices)) {
      if (performance.now() - sliceStart < sliceMs) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      slices.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  };
  if (!share) {
    await plan(allIndices(run.operations.length));
    return assemblePlan(run);
  }
  await plan(claimedIndices(share, run.operations.length));
  const theirs = await share.collect(slices.signal);
  for (const [index, part] of theirs)
    if (run.parts[index] === undefined && part.operationId === run.operations[index]?.id)
      run.parts[index] = part;
  // Whatever the other thread did not send is planned here.
  await plan(run.parts.flatMap((part, index) => (part === undefined ? [index] : [])));
  // The other thread works out the sample data while the last operations are planned: assembled meanwhile.
  const assembly = assembleCases(run);
  return finishPlan(run, assembly, await share.sampleData(slices.signal));
}

/** Every index below `count`, in order. */
function* allIndices(count: number): Generator<number, void, undefined> {
  for (let index = 0; index < count; index++) yield index;
}

/** The indices of the chunks this thread claims from `share`, claimed one chunk at a time as they are used. */
function* claimedIndices(share: PlanShare, count: number): Generator<number, void, undefined> {
  for (let first = share.claim(); first !== undefined && first < count; first = share.claim())
    for (let index = first; index < Math.min(first + share.chunk, count); index++) yield index;
}

/** What planning one operation gives: its cases and what it has to say. */
export interface OperationPart {
  /** The IR id of the operation, to check the part against the operation at its index. */
  operationId: string;
  cases: PlannedCase[];
  /** Its diagnostics, but for the path parameters below (reported once per name, in operation order). */
  diagnostics: PlanDiagnostic[];
  /** Path parameters that name a resource no operation of the spec creates. */
  unknownResources: string[];
}

/** A planning in progress: the context and settings every operation is planned with, and the parts so far. */
export interface PlanningRun {
  readonly ir: ApiIr;
  readonly options: PlanOptions;
  readonly ctx: PlanContext;
  readonly operations: readonly IrOperation[];
  readonly categories: ReadonlySet<Category>;
  readonly depth: Depth;
  /** Valid inputs each operation may get at this depth. */
  readonly perOperation: number;
  /** The part of each operation, by index, once planned. */
  readonly parts: Array<OperationPart | undefined>;
}

/** Sets up the planning of the selected operations (nothing is planned yet). */
export function startPlanning(ir: ApiIr, options: PlanOptions): PlanningRun {
  const depth = options.depth ?? 'quick';
  const operations = options.selected ?? selectOperations(ir, options);
  return {
    ir,
    options,
    ctx: createPlanContext(ir, options.seed ?? 1, options.pathParams ?? {}),
    operations,
    categories: new Set(
      options.categories && options.categories.length > 0 ? options.categories : CATEGORIES,
    ),
    depth,
    perOperation: combinationsPerOperation(depth, operations.length),
    parts: new Array<OperationPart | undefined>(operations.length).fill(undefined),
  };
}

/** Plans the operations at `indices` into `run.parts`, yielding after each one. */
export function* planOperations(
  run: PlanningRun,
  indices: Iterable<number>,
): Generator<void, void, undefined> {
  for (const index of indices) {
    run.parts[index] = planOperation(run, run.operations[index] as IrOperation);
    yield;
  }
}

function planOperation(run: PlanningRun, op: IrOperation): OperationPart {
  const { ctx, categories, depth } = run;
  const part: OperationPart = { operationId: op.id, cases: [], diagnostics: [], unknownResources: [] };
  if (op.responses.length === 0) {
    part.diagnostics.push({
      severity: 'warning',
      code: 'OPERATION_WITHOUT_RESPONSES',
      message: `${op.method.toUpperCase()} ${op.path} declares no responses; no cases planned for it`,
      operationId: op.id,
      pointer: op.pointer,
    });
    return part;
  }
  const octx = buildOperationContext(ctx, op);
  part.unknownResources.push(...octx.missingPathParams);
  const add = (more: readonly PlannedCase[]): void => {
    part.cases.push(...more);
  };
  if (categories.has('contract')) {
    add(planContractCases(octx));
    add(planInputCases(ctx, octx, { depth, maxCombinations: run.perOperation }));
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
    part.diagnostics.push({
      severity: 'info',
      code: 'NO_SUCCESS_RESPONSE',
      message: `${op.method.toUpperCase()} ${op.path} declares no 2xx/3xx or default response; no contract case`,
      operationId: op.id,
      pointer: op.pointer,
    });
  }
  return part;
}

/**
 * The sample data of the planning: valid records of the schemas `operations` use (plan/sample-data.ts), none
 * when the run asks for no rows. Those of the plan are the selected operations' and those their cases call
 * (setup steps); with every operation selected, the selected ones'.
 */
export function sampleDataOf(run: PlanningRun, operations: readonly IrOperation[]): TestPlan['sampleData'] {
  return sampleDataFor(run, () => usedSchemaNames(run.ir, operations));
}

function sameIds(ids: readonly string[], operations: readonly IrOperation[]): boolean {
  return ids.length === operations.length && operations.every((op, index) => ids[index] === op.id);
}

function sampleDataFor(run: PlanningRun, used: () => readonly string[]): TestPlan['sampleData'] {
  const rows = run.options.sampleRows ?? 3;
  return rows > 0 ? planSampleData(run.ir.schemas, run.options.seed ?? 1, rows, used()) : [];
}

/** The plan, once every operation's part is in (see {@link planOperations}). */
function assemblePlan(run: PlanningRun): TestPlan {
  return finishPlan(run, assembleCases(run));
}

/** The plan but for its sample data: its cases, diagnostics, operations and schemas. */
interface Assembly {
  cases: TestCase[];
  diagnostics: PlanDiagnostic[];
  /** The selected operations and those their cases call. */
  touched: IrOperation[];
  /** The names of the schemas `touched` use. */
  used: readonly string[];
}

/** Everything of the plan but its sample data, once every operation's part is in. */
function assembleCases(run: PlanningRun): Assembly {
  const { ir, operations } = run;
  const diagnostics: PlanDiagnostic[] = [];
  /** Path parameters already reported as naming a resource nothing creates (once per name). */
  const unknownResources = new Set<string>();
  const planned: PlannedCase[] = [];
  operations.forEach((op, index) => {
    const part = run.parts[index];
    if (part === undefined) throw new Error(`operation ${op.id} was not planned`);
    for (const name of part.unknownResources) {
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
    diagnostics.push(...part.diagnostics);
    for (const c of part.cases) planned.push(c);
  });
  const cases = assignCaseIds(planned);
  const touched = referencedOperations(ir, operations, cases);
  // Only the schemas the planned operations use: unused definitions would cost time and output size.
  return { cases, diagnostics, touched, used: usedSchemaNames(ir, touched) };
}

/**
 * The plan of an {@link assembleCases}. `shared`, when given, is {@link sampleDataOf} the selected operations,
 * worked out by another thread: used when it was worked out for these operations and the cases call no other
 * one.
 */
function finishPlan(run: PlanningRun, assembly: Assembly, shared?: SharedSampleData): TestPlan {
  const { ir, options, operations } = run;
  const { cases, diagnostics, touched, used } = assembly;
  const seed = options.seed ?? 1;
  const pathParams = options.pathParams ?? {};
  const schemas: Record<string, JsonSchema> = {};
  for (const name of used)
    schemas[name] = applySchemaView(ir.schemas[name] as JsonSchema, 'response', ir.schemas);
  return {
    planVersion: 2,
    api: { title: ir.title, version: ir.version },
    seed,
    depth: run.depth,
    ...(Object.keys(pathParams).length > 0 ? { pathParams: sortedRecord(pathParams) } : {}),
    ...(ir.servers[0] ? { defaultBaseUrl: ir.servers[0].url } : {}),
    securitySchemes: ir.securitySchemes,
    schemas,
    operations: touched.map((op) => planOperationEntry(ir, op)),
    cases,
    sampleData:
      shared && touched.length === operations.length && sameIds(shared.operations, operations)
        ? shared.sampleData
        : sampleDataFor(run, () => used),
    diagnostics,
  };
}

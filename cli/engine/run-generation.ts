/**
 * One generation, top to bottom: load → validate → build IR → select operations → (check the output folder →
 * ask for a licence, whose round trip runs while the next stage works) → plan → (AI cases) → render → write or
 * compare → report completion. `--debug` prints each stage's time. Every stage hands its
 * output to the next; the ports (ports.ts) are the only way out. `specmint generate`, the golden tests, the
 * benchmarks and the corpus script all run this function.
 *
 * A run that fails or is interrupted after its licence was granted releases it, so it is not charged; the
 * output folder is left as it was.
 */
import type { Format } from '../../shared/plans.ts';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import { InputError } from '../errors.ts';
import type { GenerationMode, GenerationSettings } from './generation-settings.ts';
import type { IrOperation } from './ir/types.ts';
import { countByCategory, type PreparedSpec, prepareSpec } from './pipeline.ts';
import { type PlanOptions, type PlanShare, planTestsInSlices, selectOperations } from './plan/plan-tests.ts';
import type { PlanDiagnostic, TestPlan } from './plan/types.ts';
import type {
  CheckResult,
  FormatOutput,
  GenerationPorts,
  Licence,
  ProgressPort,
  StageProgress,
} from './ports.ts';
import { FORMAT_INFO, usesSampleData } from './render/formats.ts';
import {
  MAX_SHARED_PLANNING_BYTES,
  RenderHelper,
  renderHere,
  type TimedOutput,
} from './render/render-helper.ts';
import type { RenderOptions } from './render/types.ts';
import type { LoadedSpec } from './spec/load-spec.ts';

/** What one generation did. */
export interface GenerationResult {
  /** `Title version` of the API. */
  title: string;
  mode: GenerationMode;
  outDir: string;
  /** Files written (or that would be), relative to `outDir`, sorted. */
  files: string[];
  /** Operations selected. */
  operations: number;
  /** Cases planned (AI cases included). */
  tests: number;
  testsByCategory: Record<string, number>;
  /**
   * Cases each test-running format wrote as tests (a test function; for Postman a request, or a folder of
   * requests for a flow; k6 repeats only the contract cases): fewer than {@link tests} where a format cannot
   * express a case (the warnings say which and why). Formats that write no tests (sql, json) are not listed.
   */
  testsByFormat: Partial<Record<Format, number>>;
  /** The depth planned at, and the valid inputs it gave (the contract cases: one per input combination). */
  depth: GenerationSettings['depth'];
  inputs: number;
  formats: GenerationSettings['formats'];
  /** The licence's usage and whether this run was charged; `null` without a licence. */
  usage: {
    plan: Licence['plan'];
    used: number;
    limit: number | null;
    remaining: number | null;
    charged: boolean;
  } | null;
  /** `--check` only: what differs. */
  stale?: CheckResult;
  /** Every warning shown during the run. */
  warnings: string[];
  /** The plan that was rendered (AI cases included), for callers that use the engine as a library. */
  plan: TestPlan;
}

const MAX_WARNINGS_SHOWN = 10;

/** Progress that also keeps every warning for the result. */
function recordingProgress(progress: ProgressPort, warnings: string[]): ProgressPort {
  return {
    start: (text) => progress.start(text),
    debug: (text) => progress.debug(text),
    path: (path) => progress.path(path),
    warn: (text) => {
      warnings.push(text);
      progress.warn(text);
    },
  };
}

/** Runs `work` as one visible step: failed (with `failText`) when it throws, stopped otherwise. */
async function stage<T>(
  progress: ProgressPort,
  text: string,
  work: (step: StageProgress) => Promise<T>,
  failText: string | ((error: unknown) => string) = text,
): Promise<T> {
  const step = progress.start(text);
  const started = performance.now();
  try {
    return await work(step);
  } catch (error) {
    if (!isInterruption(error)) step.fail(typeof failText === 'string' ? failText : failText(error));
    throw error;
  } finally {
    step.stop();
    // `--debug`: where a slow run spends its time (the clock starts with the process: start-up before it).
    progress.debug(`${text}: ${elapsed(started)} (at ${elapsed(0)})`);
  }
}

/** Milliseconds since `since` (a `performance.now()`), for debug lines. */
function elapsed(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

/** True for what an aborted signal throws (Ctrl-C): not a failure of the step. */
function isInterruption(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'InterruptedError');
}

/** Lets the event loop run (a pending Ctrl-C) and stops when the run was interrupted. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}

async function loadStage(
  settings: GenerationSettings,
  ports: GenerationPorts,
  hooks: { onBytes?: (bytes: Uint8Array) => void; onLoaded?: (spec: LoadedSpec) => void } = {},
): Promise<PreparedSpec> {
  const source = settings.spec === '-' ? 'spec from stdin' : settings.spec;
  const prepared = await stage(
    ports.progress,
    `Loading ${source}`,
    async (step) => {
      const loaded = await prepareSpec(settings.spec, {
        stdin: ports.stdin,
        onBytes: hooks.onBytes,
        loaded: hooks.onLoaded,
      });
      const { ir } = loaded;
      step.succeed(
        `Loaded ${ir.title} ${ir.version} (OpenAPI ${ir.sourceVersion}, ${count(ir.operations.length, 'operation')})`,
      );
      return loaded;
    },
    `Could not load ${settings.spec}`,
  );
  reportSpecWarnings(ports.progress, prepared);
  return prepared;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function reportSpecWarnings(progress: ProgressPort, prepared: PreparedSpec): void {
  const shown = prepared.diagnostics.filter((d) => d.severity === 'warning');
  for (const d of shown.slice(0, MAX_WARNINGS_SHOWN)) {
    const where = d.pointer !== undefined ? ` (at ${d.pointer === '' ? '/' : d.pointer})` : '';
    progress.warn(`${d.message}${where}`);
  }
  if (shown.length > MAX_WARNINGS_SHOWN) {
    progress.warn(
      `… and ${shown.length - MAX_WARNINGS_SHOWN} more spec warnings (all of them with --debug).`,
    );
    for (const d of shown.slice(MAX_WARNINGS_SHOWN)) progress.debug(d.message);
  }
}

/** Path parameters without a value shown one by one; more are summed up in one warning. */
const PATH_PARAM_WARNINGS_SHOWN = 3;

/**
 * The planner's warnings (a path parameter that needs a real value…), ten at most; the rest with --debug.
 * Many path parameters that need a value (GitHub's description has 80) make one warning that names the
 * first few and prints their `--path-param` options, instead of a screenful of the same sentence.
 */
function reportPlanWarnings(progress: ProgressPort, plan: TestPlan): void {
  let warnings = plan.diagnostics.filter((d) => d.severity === 'warning');
  const unknown = warnings.filter((d) => d.code === 'PATH_PARAM_UNKNOWN_RESOURCE');
  if (unknown.length > PATH_PARAM_WARNINGS_SHOWN) {
    const names = unknown.flatMap((d) => (d.parameter ? [d.parameter] : []));
    const first = names.slice(0, PATH_PARAM_WARNINGS_SHOWN);
    const summary: PlanDiagnostic = {
      severity: 'warning',
      code: 'PATH_PARAM_UNKNOWN_RESOURCE',
      message: `${first.map((name) => `{${name}}`).join(', ')} and ${names.length - first.length} more path parameters name resources that no operation of the spec creates, so the cases under them send made-up values and accept the declared 4xx. Give real ones to test them fully: ${first.map((name) => `--path-param ${name}=<value>`).join(' ')} … (every one with --debug)`,
    };
    for (const d of unknown) progress.debug(d.message);
    warnings = [summary, ...warnings.filter((d) => d.code !== 'PATH_PARAM_UNKNOWN_RESOURCE')];
  }
  for (const d of warnings.slice(0, MAX_WARNINGS_SHOWN)) progress.warn(d.message);
  if (warnings.length > MAX_WARNINGS_SHOWN) {
    progress.warn(
      `… and ${warnings.length - MAX_WARNINGS_SHOWN} more planning warnings (all of them with --debug).`,
    );
    for (const d of warnings.slice(MAX_WARNINGS_SHOWN)) progress.debug(d.message);
  }
}

/** The operations to plan; a filter that keeps none (or a spec without any) is bad input. */
function selectStage(prepared: PreparedSpec, settings: GenerationSettings, progress: ProgressPort) {
  const { ir } = prepared;
  const known = new Set(
    ir.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'path').map((p) => p.name)),
  );
  for (const name of Object.keys(settings.pathParams)) {
    // A --path-param name no path uses is most likely a typo.
    if (!known.has(name))
      progress.warn(
        `--path-param ${name}: no path of the spec has a {${name}} parameter, so it is not used.`,
      );
  }
  const selected = selectOperations(ir, settings);
  if (selected.length > 0) return selected;
  const filters = [
    settings.tags.length > 0 ? `--tags ${settings.tags.join(',')}` : '',
    settings.operations.length > 0 ? `--operations ${settings.operations.join(',')}` : '',
  ].filter(Boolean);
  const names = ir.operations.slice(0, 15).map((op) => op.operationId ?? op.id);
  throw new InputError(
    ir.operations.length === 0
      ? `The spec ${settings.spec} has no operations to test.`
      : `No operation matches ${filters.join(' and ')}.`,
    {
      code: 'NO_OPERATIONS',
      hint:
        ir.operations.length === 0
          ? 'Add paths with operations to the spec.'
          : `Operations in the spec: ${names.join(', ')}${ir.operations.length > 15 ? ', …' : ''}`,
    },
  );
}

/**
 * Plans the selected operations in slices (Graph beta takes half a minute; Ctrl-C must still work), sharing
 * the work with the render helper thread when it loaded the spec too.
 */
function planStage(
  prepared: PreparedSpec,
  selected: readonly IrOperation[],
  settings: GenerationSettings,
  ports: GenerationPorts,
  share: PlanShare | undefined,
): Promise<TestPlan> {
  return stage(ports.progress, `Planning test cases for ${prepared.ir.title}`, async () => {
    const plan = await planTestsInSlices(
      prepared.ir,
      { ...planOptions(settings), selected },
      { signal: ports.signal, share },
    );
    if (share) {
      const { parts, failure } = share.planned();
      ports.progress.debug(
        `Planned ${parts} of ${selected.length} operations on the helper thread${failure ? ` (it stopped: ${failure}; the rest were planned here)` : ''}`,
      );
    }
    return plan;
  });
}

/** The run's planning options, but the operations selected (the render helper thread selects the same). */
function planOptions(settings: GenerationSettings): Omit<PlanOptions, 'selected'> {
  return {
    seed: settings.seed,
    depth: settings.depth,
    categories: settings.categories,
    tags: settings.tags,
    operations: settings.operations,
    pathParams: settings.pathParams,
    // Sample rows only when a format shows them.
    ...(usesSampleData(settings.formats) ? {} : { sampleRows: 0 }),
  };
}

/**
 * The formats rendered one at a time as they are asked for (some on the render helper thread when there is
 * one), with the step naming the one in progress and a checkpoint (Ctrl-C) between them.
 */
async function* renderStage(
  plan: TestPlan,
  settings: GenerationSettings,
  context: RenderContext,
  step: StageProgress,
  verb: string,
  written: Partial<Record<Format, number>>,
): AsyncGenerator<FormatOutput, void, undefined> {
  const total = settings.formats.length;
  const options = renderOptions(settings);
  let index = 0;
  const working = (formats: readonly Format[]) =>
    step.update(`${verb}: ${formats.join(', ')} (${Math.min(index + 1, total)}/${total})`);
  const outputs = context.helper
    ? context.helper.render(plan, settings.formats, options, { ...context, working })
    : renderAllHere(plan, settings.formats, options, working);
  for await (const { output, ms, thread } of outputs) {
    if (FORMAT_INFO[output.format].runner) written[output.format] = output.renderedCases;
    const handled = performance.now();
    yield output;
    const where = thread === 'helper' ? ' on the helper thread' : '';
    context.debug(
      `${output.format}: rendered in ${Math.round(ms)} ms${where}, handled in ${elapsed(handled)}`,
    );
    index += 1;
    await checkpoint(context.signal);
  }
}

/** The options every format is rendered with. */
function renderOptions(settings: GenerationSettings): RenderOptions {
  return {
    generatorVersion: settings.generatorVersion ?? SPECMINT_VERSION,
    formatOptions: settings.formatOptions,
  };
}

/** What rendering needs besides the plan and settings. */
interface RenderContext {
  helper: RenderHelper | undefined;
  signal: AbortSignal | undefined;
  debug: (text: string) => void;
}

/**
 * The formats rendered on this thread alone, one at a time as they are asked for (a caller that writes each
 * before asking for the next holds one format's files at a time), each named (`working`) before it is
 * rendered.
 */
async function* renderAllHere(
  plan: TestPlan,
  formats: readonly Format[],
  options: RenderOptions,
  working: (formats: readonly Format[]) => void,
): AsyncGenerator<TimedOutput, void, undefined> {
  for (const format of formats) yield renderHere(format, plan, options, working);
}

/** `--dry-run` and `--check`: render every format, list its files, and compare them when checking. */
async function compareStage(
  plan: TestPlan,
  settings: GenerationSettings,
  ports: GenerationPorts,
  render: RenderContext,
) {
  const files: string[] = [];
  const written: Partial<Record<Format, number>> = {};
  const stale: CheckResult = { changed: [], missing: [], extra: [], notManaged: [] };
  const first = settings.formats[0];
  await stage(ports.progress, `Rendering: ${first} (1/${settings.formats.length})`, async (step) => {
    for await (const output of renderStage(plan, settings, render, step, 'Rendering', written)) {
      files.push(...output.files.map((f) => f.path));
      if (settings.mode !== 'check') continue;
      // One format at a time: only what differs is kept.
      const found = await ports.output.check([output]);
      stale.changed.push(...found.changed);
      stale.missing.push(...found.missing);
      stale.extra.push(...found.extra);
      stale.notManaged.push(...found.notManaged);
    }
  });
  return { files: files.sort(), written, stale: settings.mode === 'check' ? stale : undefined };
}

/** Renders every format and writes it as it comes (one format's files in memory at a time). */
function writeStage(
  plan: TestPlan,
  specHash: string,
  settings: GenerationSettings,
  ports: GenerationPorts,
  written: Partial<Record<Format, number>>,
  render: RenderContext,
): Promise<string[]> {
  const verb = `Writing ${ports.progress.path(settings.outDir)}`;
  const facts = {
    version: SPECMINT_VERSION,
    specHash,
    seed: settings.seed,
    depth: settings.depth,
    ...(Object.keys(settings.pathParams).length > 0 ? { pathParams: sortedRecord(settings.pathParams) } : {}),
  };
  return stage(ports.progress, `${verb}: ${settings.formats[0]} (1/${settings.formats.length})`, (step) =>
    ports.output.write(renderStage(plan, settings, render, step, verb, written), facts, ports.signal),
  );
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Runs one generation (see the file comment). Throws typed errors; the output is untouched on failure. */
export async function runGeneration(
  settings: GenerationSettings,
  ports: GenerationPorts,
): Promise<GenerationResult> {
  const warnings: string[] = [];
  const progress = recordingProgress(ports.progress, warnings);
  const run: GenerationPorts = { ...ports, progress };
  // The render helper thread, if the run is worth one: it works out the spec hash (when it can) and, given a
  // large spec file's bytes, plans a share of the operations while this thread plans; then it renders. A large
  // spec file starts it before the spec is loaded, so that it has booted by then. It is stopped however the
  // run ends.
  let helper = RenderHelper.startEarly(settings.formats, settings.spec);
  let hashing: (() => Promise<string>) | undefined;
  /** The spec hash the early thread answers, when it loads the spec to share the planning. */
  let hashedThere: Promise<string> | undefined;
  try {
    const prepared = await loadStage(settings, run, {
      // The early thread loads the same bytes beside this one, answers the spec hash, and plans a share of the
      // operations; a spec too large to hold twice is only hashed there.
      onBytes: (bytes) => {
        if (helper && bytes.byteLength <= MAX_SHARED_PLANNING_BYTES)
          hashedThere = helper.sharePlanning({
            source: settings.spec,
            bytes,
            hash: settings.mode === 'write',
            options: planOptions(settings),
          });
      },
      onLoaded: (spec) => {
        if (helper && settings.mode === 'write')
          hashing = hashSpec(spec, helper, progress.debug, hashedThere);
      },
    });
    const selected = selectStage(prepared, settings, progress);
    if (settings.mode === 'write') {
      // Everything that can fail before rendering is checked before a licence is asked for (a run that writes
      // nothing is never charged): the output folder first, then the licence round trip, which runs while the
      // cases are planned so the network wait hides behind the planning work.
      await ports.output.prepare(settings.formats);
    }
    if (helper && !RenderHelper.wanted(settings.formats, selected.length)) {
      // Stopped: the spec hash, if it asked for one, is then worked out here.
      helper.close();
      helper = undefined;
    }
    helper ??= RenderHelper.start(settings.formats, selected.length);
    // Only a run that writes names its spec by the hash (the licence request, the manifest).
    const specHash =
      settings.mode === 'write' ? (hashing ?? hashSpec(prepared.spec, helper, progress.debug))() : undefined;
    const licenceRequest =
      specHash && ports.licence ? requestLicence(prepared, specHash, settings, ports.licence) : undefined;
    return await planAndEmit({
      settings,
      ports: run,
      prepared,
      selected,
      share: helper?.planShare(selected.length),
      specHash,
      licenceRequest,
      warnings,
      render: { helper, signal: ports.signal, debug: progress.debug },
    });
  } finally {
    helper?.close();
  }
}

/** A run once its operations are selected (and its licence asked for, when it writes). */
interface SelectedRun {
  settings: GenerationSettings;
  /** The run's ports, progress recording its warnings. */
  ports: GenerationPorts;
  prepared: PreparedSpec;
  selected: IrOperation[];
  /** The render helper thread's share of the planning, when it loaded the spec too. */
  share: PlanShare | undefined;
  /** The spec hash, when the run writes (see {@link hashSpec}). */
  specHash: Promise<string> | undefined;
  licenceRequest: Promise<Licence> | undefined;
  warnings: string[];
  render: RenderContext;
}

/** Plans the cases, then renders and writes (or compares) them, and reports completion to the licence. */
async function planAndEmit(selectedRun: SelectedRun): Promise<GenerationResult> {
  const {
    settings,
    ports: run,
    prepared,
    selected,
    share,
    specHash,
    licenceRequest,
    warnings,
    render,
  } = selectedRun;
  const { progress } = run;
  let planned: TestPlan;
  try {
    planned = await planStage(prepared, selected, settings, run, share);
  } catch (error) {
    // Planning failed or was interrupted after the licence was asked for: give the reservation back.
    await licenceRequest?.then(
      async (licence) => {
        await licence.release();
        await licence.close();
      },
      () => undefined,
    );
    throw error;
  }
  reportPlanWarnings(progress, planned);
  const title = `${prepared.ir.title} ${prepared.ir.version}`;
  const base = {
    title,
    mode: settings.mode,
    outDir: settings.outDir,
    operations: selected.length,
    depth: settings.depth,
  };

  if (settings.mode !== 'write') {
    if (settings.ai) {
      // AI cases need a licence and the provider key (and cost tokens): --dry-run and --check stay offline.
      progress.warn(
        settings.mode === 'check'
          ? `--check compares without AI cases (--ai ${settings.ai.provider} is only applied when writing): files written with AI cases show as stale.`
          : `--dry-run leaves AI cases out (--ai ${settings.ai.provider} is only applied when writing): the counts are the deterministic cases.`,
      );
    }
    const { files, written, stale } = await compareStage(planned, settings, run, render);
    return {
      ...base,
      files,
      tests: planned.cases.length,
      testsByCategory: countByCategory(planned),
      testsByFormat: written,
      inputs: countByCategory(planned).contract ?? 0,
      formats: settings.formats,
      usage: null,
      ...(stale ? { stale } : {}),
      warnings,
      plan: planned,
    };
  }

  const started = Date.now();
  // The helper thread starts rendering while this one waits for the licence (unless AI cases, added once
  // licensed, are to change the plan). Nothing is written before the licence is granted.
  if (!run.ai) render.helper?.begin(planned, settings.formats, renderOptions(settings));
  const licence = licenceRequest ? await licenceStage(licenceRequest, progress) : undefined;
  let completed = false;
  try {
    const plan = run.ai ? await run.ai.enhance({ ir: prepared.ir, plan: planned, progress }) : planned;
    const written: Partial<Record<Format, number>> = {};
    const files = await writeStage(plan, await (specHash as Promise<string>), settings, run, written, render);
    const tests = plan.cases.length;
    if (licence) {
      try {
        await licence.complete({
          files: files.length,
          tests,
          durationMs: Math.min(Date.now() - started, 86_400_000),
        });
        completed = true;
      } catch (error) {
        progress.warn(
          `Could not report completion to the licence server (${(error as Error).message}); the files are written.`,
        );
      }
    }
    return {
      ...base,
      files,
      tests,
      testsByCategory: countByCategory(plan),
      testsByFormat: written,
      inputs: countByCategory(plan).contract ?? 0,
      formats: settings.formats,
      usage: licence
        ? {
            plan: licence.usage.plan,
            used: licence.usage.used,
            limit: licence.usage.limit,
            remaining: licence.usage.remaining,
            charged: licence.charged,
          }
        : null,
      warnings,
      plan,
    };
  } catch (error) {
    // Nothing was written: give the reservation back so the run is not charged.
    if (licence && !completed) await licence.release();
    throw error;
  } finally {
    await licence?.close();
  }
}

/**
 * The spec hash that names the spec to the licence server and in the manifest, when first asked for. Hashing
 * GitHub's 13 MB description takes ~250 ms: the render helper thread does it from the file's bytes, starting
 * now, while this thread plans, when the document is exactly their parse; otherwise (or should the thread
 * fail) this thread hashes the document when asked.
 */
function hashSpec(
  spec: LoadedSpec,
  helper: RenderHelper | undefined,
  debug: (text: string) => void,
  /** The hash the thread already works out, having loaded the spec itself to share the planning. */
  answered?: Promise<string>,
): () => Promise<string> {
  const started = performance.now();
  const bytes = spec.sourceBytes;
  // Handed over, or not needed: the run does not hold the file's bytes (13 MB for GitHub's description).
  spec.sourceBytes = undefined;
  const there = answered ?? (helper && bytes ? helper.hashSpec(bytes, spec.origin) : undefined);
  // A failure is seen (and the hash worked out here) when the hash is asked for; never an unhandled rejection.
  there?.catch(() => undefined);
  let hash: Promise<string> | undefined;
  return () => {
    hash ??= there
      ? there.then(
          (value) => {
            debug(`Spec hash worked out on the helper thread: ${elapsed(started)} (at ${elapsed(0)})`);
            return value;
          },
          () => spec.specHash,
        )
      : Promise.resolve().then(() => spec.specHash);
    return hash;
  };
}

/**
 * Asks for the licence now; the promise is awaited later ({@link licenceStage}). Marked handled at once, so a
 * refusal that arrives while the cases are still being planned is not an unhandled rejection.
 */
function requestLicence(
  prepared: PreparedSpec,
  specHash: Promise<string>,
  settings: GenerationSettings,
  port: NonNullable<GenerationPorts['licence']>,
): Promise<Licence> {
  const request = specHash.then((hash) =>
    port.request({
      specHash: hash,
      specTitle: prepared.ir.title,
      operationCount: prepared.ir.operations.length,
      formats: settings.formats,
      ai: settings.ai,
    }),
  );
  request.catch(() => undefined);
  return request;
}

/** Shows the licence request as a step and waits for its answer. */
function licenceStage(request: Promise<Licence>, progress: ProgressPort): Promise<Licence> {
  return stage(
    progress,
    'Requesting a licence for this generation',
    async (step) => {
      const licence = await request;
      step.succeed(`Licensed (${licence.plan} plan; usage token verified)`);
      return licence;
    },
    (error) =>
      (error as { exitCode?: number }).exitCode === 5
        ? 'Could not reach the licence server'
        : 'No licence for this generation',
  );
}

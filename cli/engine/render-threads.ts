/**
 * The formats of a large plan rendered on more than one core: the main thread and render threads
 * (render-worker.ts, `dist/render-worker.js` in the built CLI) take the formats in turn, and the outputs come
 * back in the order asked for, so what is written is byte for byte what pipeline.ts's `renderFormats` gives.
 * At most one format per thread is held besides the one being written. Small plans (a thread costs more to
 * start than they take to render), huge ones (two formats of Microsoft Graph at once would not fit in the
 * heap), a single format, a one-core machine and a run from source (no bundled worker file) render on the main
 * thread, format after format. A format a thread fails on is rendered again on the main thread, so its error
 * reaches the user as the same typed error.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Format } from '../../shared/plans.ts';
import type { TestPlan } from './plan/types.ts';
import type { FormatOutput } from './ports.ts';
import type { RenderOptions } from './render/types.ts';
import { renderFormat } from './render-format.ts';
import type { FromRenderThread, ToRenderThread } from './render-worker.ts';

/** Below this many cases a thread costs more to start than the formats take to render. */
export const MIN_THREADED_CASES = 300;
/** Above this many cases two formats in memory at once would strain Node's default heap. */
export const MAX_THREADED_CASES = 40_000;

/** Options of {@link renderFormatsThreaded}. */
export interface RenderThreadsOptions {
  formats: readonly Format[];
  render: RenderOptions;
  /** The bundled worker script; default: `render-worker.js` beside the built CLI, when it exists. */
  workerFile?: string;
  /** Render threads besides the main thread; default: one less than the cores, at most one per other format. */
  threads?: number;
  /** Smallest plan rendered on threads (default {@link MIN_THREADED_CASES}). */
  minCases?: number;
  /** Ctrl-C: the threads stop at once, and the format awaited from one is not rendered here. */
  signal?: AbortSignal;
  /** Told where each format was rendered. */
  onRendered?: (format: Format, where: 'thread' | 'main') => void;
}

/**
 * Renders the formats, yielding each in `formats` order; on threads when the plan and the machine gain from it
 * (see the file comment), else on the main thread.
 */
export async function* renderFormatsThreaded(
  plan: TestPlan,
  options: RenderThreadsOptions,
): AsyncGenerator<FormatOutput, void, undefined> {
  const { formats } = options;
  const workerFile = options.workerFile ?? bundledWorkerFile();
  const threads = Math.min(options.threads ?? availableParallelism() - 1, formats.length - 1);
  const cases = plan.cases.length;
  const worthIt = cases >= (options.minCases ?? MIN_THREADED_CASES) && cases <= MAX_THREADED_CASES;
  if (!workerFile || threads < 1 || !worthIt) {
    for (const format of formats) {
      options.onRendered?.(format, 'main');
      yield renderFormat(format, plan, options.render);
    }
    return;
  }
  const pool = startThreads(workerFile, threads, plan, options.render);
  const stop = () => void pool.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    /** Formats handed to a thread, by index: their outputs to come. */
    const onThread = new Map<number, Promise<FormatOutput | undefined>>();
    let next = 0;
    const handOut = (upTo: number) => {
      for (const thread of pool.threads) {
        if (next > upTo || next >= formats.length) return;
        if (thread.busy || thread.broken) continue;
        const index = next++;
        onThread.set(index, thread.render(index, formats[index]!));
      }
    };
    for (let index = 0; index < formats.length; index++) {
      const format = formats[index]!;
      const mine = index === next;
      if (mine) next += 1;
      // The threads take the formats after this one (as many as there are threads) while it is rendered here.
      handOut(index + pool.threads.length);
      const output = mine ? undefined : await onThread.get(index);
      options.signal?.throwIfAborted();
      onThread.delete(index);
      options.onRendered?.(format, output ? 'thread' : 'main');
      // Rendered here: this thread's turn, or a thread failed on it (the error it throws here is the typed one).
      yield output ?? renderFormat(format, plan, options.render);
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await pool.stop();
  }
}

/** `render-worker.js` beside this file or one folder up (dist/ or dist/chunks/), when running the built CLI. */
function bundledWorkerFile(): string | undefined {
  for (const candidate of ['./render-worker.js', '../render-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return fileURLToPath(url);
  }
  return undefined;
}

interface RenderThread {
  busy: boolean;
  broken: boolean;
  /** The output of `format`, or undefined when the thread failed (the caller renders it itself). */
  render(index: number, format: Format): Promise<FormatOutput | undefined>;
}

function startThreads(workerFile: string, count: number, plan: TestPlan, render: RenderOptions) {
  const workers: Worker[] = [];
  const threads: RenderThread[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(workerFile);
    workers.push(worker);
    // A thread's own failure (it could not start, it ran out of memory) leaves its formats to the main thread.
    let settle: ((output: FormatOutput | undefined) => void) | undefined;
    const thread: RenderThread = {
      busy: false,
      broken: false,
      render(index, format) {
        thread.busy = true;
        return new Promise((resolve) => {
          settle = (output) => {
            thread.busy = false;
            settle = undefined;
            resolve(output);
          };
          worker.postMessage({ kind: 'render', index, format } satisfies ToRenderThread);
        });
      },
    };
    const fail = () => {
      thread.broken = true;
      settle?.(undefined);
    };
    worker.on('message', (answer: FromRenderThread) =>
      settle?.(answer.kind === 'done' ? answer.output : undefined),
    );
    worker.on('error', fail);
    worker.on('exit', fail);
    worker.postMessage({ kind: 'plan', plan, render } satisfies ToRenderThread);
    threads.push(thread);
  }
  return {
    threads,
    async stop() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

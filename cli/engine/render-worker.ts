/**
 * A render thread (render-threads.ts): receives the plan once, then renders each format it is sent and posts
 * the files back. Bundled as dist/render-worker.js; holds no state beyond the plan.
 */
import { parentPort } from 'node:worker_threads';
import type { Format } from '../../shared/plans.ts';
import type { TestPlan } from './plan/types.ts';
import type { RenderOptions } from './render/types.ts';
import { renderFormat } from './render-format.ts';

/** What the main thread sends a render thread. */
export type ToRenderThread =
  | { kind: 'plan'; plan: TestPlan; render: RenderOptions }
  | { kind: 'render'; index: number; format: Format };

/** What a render thread answers for one format. */
export type FromRenderThread =
  | { kind: 'done'; index: number; output: ReturnType<typeof renderFormat> }
  | { kind: 'failed'; index: number; message: string };

let job: { plan: TestPlan; render: RenderOptions } | undefined;

parentPort?.on('message', (message: ToRenderThread) => {
  if (message.kind === 'plan') {
    job = { plan: message.plan, render: message.render };
    return;
  }
  let answer: FromRenderThread;
  try {
    if (!job) throw new Error('no plan was sent before the first format');
    answer = {
      kind: 'done',
      index: message.index,
      output: renderFormat(message.format, job.plan, job.render),
    };
  } catch (error) {
    // The main thread renders the format itself, so the user sees the error it raises there, typed.
    answer = {
      kind: 'failed',
      index: message.index,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(answer);
});

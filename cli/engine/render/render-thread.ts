/**
 * The render helper thread's entry (built as dist/render-thread.js; see render-helper.ts). It is given the
 * plan and the run's formats in groups; it and the main thread each claim the next group from a shared
 * counter until none is left, and it posts each format's files back as soon as it has rendered them.
 */
import { deserialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { TestPlan } from '../plan/types.ts';
import { renderFormat } from './render-format.ts';
import { claimGroup, type RenderReply, type RenderRequest, type ThreadError } from './render-protocol.ts';

parentPort?.once('message', (request: RenderRequest) => {
  const port = parentPort as NonNullable<typeof parentPort>;
  try {
    const plan = deserialize(new Uint8Array(request.plan)) as TestPlan;
    const next = new Int32Array(request.next);
    for (let group = claimGroup(next, request.groups); group; group = claimGroup(next, request.groups)) {
      for (const format of group) {
        const started = performance.now();
        const output = renderFormat(format, plan, request.render);
        port.postMessage({ kind: 'output', output, ms: performance.now() - started } satisfies RenderReply);
      }
    }
    port.postMessage({ kind: 'done' } satisfies RenderReply);
  } catch (caught) {
    const error = caught as Error;
    const reply: ThreadError = { name: error.name, message: error.message, stack: error.stack };
    port.postMessage({ kind: 'error', error: reply } satisfies RenderReply);
  }
});

/**
 * The render helper thread's entry (built as dist/render-thread.js; see render-helper.ts). While the main
 * thread plans, it may be asked for the spec's hash (spec/hash-source.ts). Then it is given the plan and the
 * run's formats in groups; it and the main thread each claim the next group from a shared counter until none
 * is left, and it posts each format's files back as soon as it has rendered them, encoded (encode-output.ts):
 * the main thread only writes the bytes.
 */
import { deserialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { TestPlan } from '../plan/types.ts';
import { hashSourceBytes } from '../spec/hash-source.ts';
import { encodeOutput } from './encode-output.ts';
import { renderFormat } from './render-format.ts';
import {
  claimGroup,
  type HashReply,
  type HelperRequest,
  type RenderReply,
  type RenderRequest,
  type ThreadError,
} from './render-protocol.ts';

const port = parentPort as NonNullable<typeof parentPort>;

port.on('message', (request: HelperRequest) => {
  if (request.kind === 'hash') hash(request.bytes, request.origin);
  else render(request);
});

function threadError(caught: unknown): ThreadError {
  const error = caught as Error;
  return { name: error.name, message: error.message, stack: error.stack };
}

function hash(bytes: Uint8Array, origin: string): void {
  try {
    port.postMessage({ kind: 'hash', hash: hashSourceBytes(bytes, origin) } satisfies HashReply);
  } catch (caught) {
    port.postMessage({ kind: 'hash-error', error: threadError(caught) } satisfies HashReply);
  }
}

function render(request: RenderRequest): void {
  try {
    const plan = deserialize(new Uint8Array(request.plan)) as TestPlan;
    const next = new Int32Array(request.next);
    for (let group = claimGroup(next, request.groups); group; group = claimGroup(next, request.groups)) {
      for (const format of group) {
        const started = performance.now();
        const { output, transfer } = encodeOutput(renderFormat(format, plan, request.render));
        const reply: RenderReply = { kind: 'output', output, ms: performance.now() - started };
        port.postMessage(reply, transfer);
      }
    }
    port.postMessage({ kind: 'done' } satisfies RenderReply);
  } catch (caught) {
    port.postMessage({ kind: 'error', error: threadError(caught) } satisfies RenderReply);
  }
}

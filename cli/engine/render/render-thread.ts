/**
 * The render helper thread's entry (built as dist/render-thread.js; see render-helper.ts). First it may be
 * asked to load the spec from the bytes the main thread read, answer its hash, plan the chunks of operations
 * it claims beside the main thread (plan/plan-tests.ts `PlanShare`) and work out the sample data; or only
 * for the spec's hash (spec/hash-source.ts). Then it is given the plan and the run's formats in groups; it and
 * the main thread each claim the next group from a shared counter until none is left, and it posts each
 * format's files back as soon as it has rendered them, encoded (encode-output.ts): the main thread only
 * writes the bytes.
 */
import { deserialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { prepareSpec } from '../pipeline.ts';
import { PLAN_CHUNK, planOperations, sampleDataOf, startPlanning } from '../plan/plan-tests.ts';
import type { TestPlan } from '../plan/types.ts';
import { hashSourceBytes } from '../spec/hash-source.ts';
import { encodeOutput } from './encode-output.ts';
import { renderFormat } from './render-format.ts';
import {
  claimChunk,
  claimedOperations,
  claimGroup,
  claimSampleData,
  type HashReply,
  type HelperRequest,
  type PlanReply,
  type PlanRequest,
  type RenderReply,
  type RenderRequest,
  type ThreadError,
} from './render-protocol.ts';

const port = parentPort as NonNullable<typeof parentPort>;

/** Requests are handled one after the other: a render request waits for the planning before it. */
let queue = Promise.resolve();
port.on('message', (request: HelperRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: HelperRequest): Promise<void> {
  if (request.kind === 'plan') await plan(request);
  else if (request.kind === 'hash') hash(request.bytes, request.origin);
  else render(request);
}

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

async function plan(request: PlanRequest): Promise<void> {
  let hashed = !request.hash;
  try {
    // Files a $ref names by URL are the main thread's to fetch, once: such a spec is planned there alone.
    const { spec, ir } = await prepareSpec(request.source, { bytes: request.bytes, localOnly: true });
    // The hash names the spec to the licence server, asked at once so that its answer arrives while planning.
    if (!hashed) {
      hashed = true;
      port.postMessage({ kind: 'hash', hash: spec.specHash } satisfies HashReply);
    }
    const run = startPlanning(ir, request.options);
    const count = run.operations.length;
    const next = new Int32Array(request.next);
    // The sample data needs no planned case. It is worked out here once three quarters of the operations are
    // claimed: by code the planning has warmed up (cold, it takes twice as long), while the main thread plans
    // the last quarter and assembles the plan, so that neither waits long for the other at the end (on
    // GitHub's description the sample data takes about as long as a quarter of the planning on one thread).
    // A thread that comes later than that (less than an eighth left) leaves it to the main thread, which
    // would otherwise wait for it; whichever thread claims it first works it out.
    let sampleDecided = false;
    for (let first = claimChunk(next, count, PLAN_CHUNK); first !== undefined; ) {
      const start = first;
      const indices = Array.from({ length: Math.min(PLAN_CHUNK, count - start) }, (_, i) => start + i);
      for (const _ of planOperations(run, indices));
      const parts = indices.map((index) => run.parts[index] as NonNullable<(typeof run.parts)[number]>);
      // Sent, and let go of here.
      for (const index of indices) run.parts[index] = undefined;
      port.postMessage({ kind: 'planned', first: start, parts } satisfies PlanReply);
      const left = count - claimedOperations(next, PLAN_CHUNK);
      if (!sampleDecided && 4 * left <= count) {
        sampleDecided = true;
        if (8 * left >= count && claimSampleData(next, 'helper')) {
          const sampleData = {
            operations: run.operations.map((op) => op.id),
            sampleData: sampleDataOf(run, run.operations),
          };
          port.postMessage({ kind: 'sample-data', sampleData } satisfies PlanReply);
        }
      }
      first = claimChunk(next, count, PLAN_CHUNK);
    }
    port.postMessage({ kind: 'plan-done' } satisfies PlanReply);
  } catch (caught) {
    if (!hashed) port.postMessage({ kind: 'hash-error', error: threadError(caught) } satisfies HashReply);
    port.postMessage({ kind: 'plan-error', error: threadError(caught) } satisfies PlanReply);
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

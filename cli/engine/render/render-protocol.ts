/**
 * What the main thread and the render helper thread (render-helper.ts, render-thread.ts) say to each other.
 */
import type { Format } from '../../../shared/plans.ts';
import type { OperationPart, PlanOptions, SharedSampleData } from '../plan/plan-tests.ts';
import type { FormatOutput } from '../ports.ts';
import type { RenderOptions } from './types.ts';

/**
 * What the main thread asks: a share of the planning (and the spec's hash) or the spec's hash alone, first;
 * then the rendering.
 */
export type HelperRequest = PlanRequest | HashRequest | RenderRequest;

/**
 * Load the spec from the bytes the main thread read, answer its hash when asked, and plan the chunks of
 * operations it claims (plan/plan-tests.ts `PlanShare`), posting each chunk's parts as it is planned.
 */
export interface PlanRequest {
  kind: 'plan';
  /** The spec file's path as given (for the files it references, and for messages). */
  source: string;
  /** The spec file's bytes as the main thread read them (a copy). */
  bytes: Uint8Array;
  /** Whether to answer the spec hash ({@link HashReply}) once the spec is loaded, before planning. */
  hash: boolean;
  /** The run's planning options: the same operations are selected as on the main thread. */
  options: Omit<PlanOptions, 'selected'>;
  /**
   * Two Int32s shared with the main thread: the index of the next chunk of operations to claim
   * (`Atomics.add`), and who works out the sample data ({@link claimSampleData}).
   */
  next: SharedArrayBuffer;
}

/**
 * What the thread answers a {@link PlanRequest} besides the hash: each chunk planned, the sample data of the
 * selected operations (plan-tests.ts `sampleDataOf`) when it claimed that work ({@link claimSampleData}), then
 * the end of it.
 */
export type PlanReply =
  | { kind: 'sample-data'; sampleData: SharedSampleData }
  | { kind: 'planned'; first: number; parts: OperationPart[] }
  | { kind: 'plan-done' }
  | { kind: 'plan-error'; error: ThreadError };

/** Work out the spec hash of a file's bytes (spec/hash-source.ts). */
export interface HashRequest {
  kind: 'hash';
  /** The file's bytes (transferred when they fill their buffer, copied otherwise). */
  bytes: Uint8Array;
  /** The spec's path as given, for the error should the bytes not parse (they did on the main thread). */
  origin: string;
}

/** Render the plan's formats. */
export interface RenderRequest {
  kind: 'render';
  /** The plan, `v8.serialize`d (transferred, not copied). */
  plan: ArrayBuffer;
  /** The formats in groups, in the order they are claimed. */
  groups: Format[][];
  /** One Int32: the index of the next group to claim (`Atomics.add`), shared with the main thread. */
  next: SharedArrayBuffer;
  render: RenderOptions;
}

/** What the thread answers a {@link HashRequest}: the hash, or why it has none. */
export type HashReply = { kind: 'hash'; hash: string } | { kind: 'hash-error'; error: ThreadError };

/**
 * What the thread answers a {@link RenderRequest}: each format once rendered, the end of its work, or the
 * error that stopped it.
 */
export type RenderReply =
  | { kind: 'output'; output: FormatOutput; ms: number }
  | { kind: 'done' }
  | { kind: 'error'; error: ThreadError };

/** Why the thread stopped short (the main thread then renders what it had not sent back). */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

/** The first operation of the next chunk of operations nobody has claimed, or undefined when all are taken. */
export function claimChunk(next: Int32Array, operations: number, chunk: number): number | undefined {
  const first = Atomics.add(next, 0, 1) * chunk;
  return first < operations ? first : undefined;
}

/**
 * How many operations have been claimed so far, in chunks of `chunk` (at the end, some past the last
 * operation).
 */
export function claimedOperations(next: Int32Array, chunk: number): number {
  return Atomics.load(next, 0) * chunk;
}

/** Who works out the sample data of a shared planning: nobody yet, the main thread, or the helper thread. */
export const SAMPLE_DATA = { unclaimed: 0, main: 1, helper: 2 } as const;

/**
 * Claims the working out of the sample data for `by` (`planning` being the {@link PlanRequest}'s `next`):
 * true for the first thread to ask, false for the other.
 */
export function claimSampleData(planning: Int32Array, by: 'main' | 'helper'): boolean {
  return (
    Atomics.compareExchange(planning, 1, SAMPLE_DATA.unclaimed, SAMPLE_DATA[by]) === SAMPLE_DATA.unclaimed
  );
}

/** Claims the next group of `groups` (shared by both threads), or undefined when all are taken. */
export function claimGroup(next: Int32Array, groups: readonly Format[][]): readonly Format[] | undefined {
  return groups[Atomics.add(next, 0, 1)];
}

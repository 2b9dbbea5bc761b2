/**
 * What the main thread and the render helper thread (render-helper.ts, render-thread.ts) say to each other.
 */
import type { Format } from '../../../shared/plans.ts';
import type { FormatOutput } from '../ports.ts';
import type { RenderOptions } from './types.ts';

/** What the main thread asks: the spec's hash (first, while it plans), then the rendering. */
export type HelperRequest = HashRequest | RenderRequest;

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

/** Claims the next group of `groups` (shared by both threads), or undefined when all are taken. */
export function claimGroup(next: Int32Array, groups: readonly Format[][]): readonly Format[] | undefined {
  return groups[Atomics.add(next, 0, 1)];
}

/**
 * How many inputs a suite tries per operation (`generate --depth`), and the limits each depth keeps to.
 * Limits are per operation, so a plan's size grows linearly with the number of operations and inputs.
 */

/** `quick`: one input per case (today's); `standard`: classes combined pairwise; `deep`: everything. */
export type Depth = 'quick' | 'standard' | 'deep';

/** Every depth, from the cheapest. */
export const DEPTHS: readonly Depth[] = ['quick', 'standard', 'deep'];

/** What one depth allows, per input and per operation. */
export interface DepthLimits {
  /**
   * Classes of one input that all-pairs combines (absent counts as one); further classes are each used once.
   * `quick` @default 1 · `standard` @default 6 · `deep` @default Infinity
   */
  pairedClasses: number;
  /** Combinations of one operation, all kinds together. `quick` @default 1 · `standard` @default 48 · `deep` @default 400 */
  maxCombinations: number;
  /** Values taken from the name dictionary per input. `quick` @default 0 · `standard` @default 6 · `deep` @default 16 */
  domainValues: number;
  /** Distinct shared values tried for `a = b` and `a = b = c`. `quick` @default 0 · `standard` @default 2 · `deep` @default 4 */
  equalValues: number;
  /** Whether all triples are covered too (only for operations with at most {@link TRIPLE_FACTORS} inputs). */
  triples: boolean;
}

/**
 * Valid inputs a whole plan may get past the typical ones, per depth: a spec with many operations gets fewer
 * per operation (never fewer than {@link MIN_COMBINATIONS_PER_OPERATION}), so the suites of Microsoft Graph
 * (22,361 operations) stay writable while small APIs get the full `maxCombinations` each.
 */
export const MAX_PLAN_COMBINATIONS: Readonly<Record<Depth, number>> = {
  quick: 0,
  standard: 60_000,
  deep: 250_000,
};
export const MIN_COMBINATIONS_PER_OPERATION = 4;

/** The combinations one operation may get when `operations` operations are planned at `depth`. */
export function combinationsPerOperation(depth: Depth, operations: number): number {
  const limit = DEPTH_LIMITS[depth].maxCombinations;
  if (depth === 'quick') return limit;
  const share = Math.floor(MAX_PLAN_COMBINATIONS[depth] / Math.max(1, operations));
  return Math.min(limit, Math.max(MIN_COMBINATIONS_PER_OPERATION, share));
}

/** All-triples coverage is attempted up to this many inputs (beyond, it grows too fast to be worth it). */
export const TRIPLE_FACTORS = 4;

/**
 * The limits of each depth. `standard` is sized on the coverage subjects (tests/coverage-subjects): 6 paired
 * classes and 48 combinations reached the same lines as 8 and 96 within 2 points, with half the inputs on
 * GitHub's description (48,563 combinations for its parameters instead of 80,441).
 */
export const DEPTH_LIMITS: Readonly<Record<Depth, Readonly<DepthLimits>>> = {
  quick: { pairedClasses: 1, maxCombinations: 1, domainValues: 0, equalValues: 0, triples: false },
  standard: { pairedClasses: 6, maxCombinations: 48, domainValues: 6, equalValues: 2, triples: false },
  deep: {
    pairedClasses: Number.POSITIVE_INFINITY,
    maxCombinations: 400,
    domainValues: 16,
    equalValues: 4,
    triples: true,
  },
};

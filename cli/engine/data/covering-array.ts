/**
 * A greedy covering array (AETG-style): rows of level indices such that every combination of levels of any
 * `strength` factors (2 = all pairs, 3 = all triples) appears in some row. Each new row starts from the first
 * uncovered tuple and fills the other factors one at a time with the level that covers most new tuples; a few
 * candidate rows with different factor orders compete. Deterministic for the stream it is given.
 * @see Cohen, Dalal, Fredman, Patton: "The AETG System", IEEE TSE 23(7), 1997
 */
import type { Rng } from './rng.ts';

/** A row: one level index per factor. */
export type Row = number[];

interface Tuple {
  factors: number[];
  /** Flat index strides of the tuple's factors. */
  strides: number[];
  covered: Uint8Array;
}

/** Candidate rows compared per new row: more for small problems, where the search is cheap. */
function candidateCount(levels: readonly number[]): number {
  const work = levels.length * levels.length * Math.max(...levels, 1);
  return work <= 200 ? 8 : work <= 800 ? 3 : 1;
}

function subsets(n: number, size: number): number[][] {
  const out: number[][] = [];
  const walk = (start: number, acc: number[]): void => {
    if (acc.length === size) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < n; i++) walk(i + 1, [...acc, i]);
  };
  walk(0, []);
  return out;
}

class Coverage {
  readonly tuples: Tuple[];
  /** Tuples each factor is part of. */
  readonly byFactor: Tuple[][];
  uncovered = 0;

  constructor(
    readonly levels: readonly number[],
    readonly strength: number,
  ) {
    this.tuples = subsets(levels.length, strength).map((factors) => {
      const strides: number[] = [];
      let size = 1;
      for (const f of factors) {
        strides.push(size);
        size *= levels[f] as number;
      }
      this.uncovered += size;
      return { factors, strides, covered: new Uint8Array(size) };
    });
    this.byFactor = levels.map((_, f) => this.tuples.filter((t) => t.factors.includes(f)));
  }

  /** The tuple's index in `row`, or -1 when one of its factors is not assigned yet. */
  static indexOf(t: Tuple, row: readonly number[]): number {
    let index = 0;
    for (let i = 0; i < t.factors.length; i++) {
      const level = row[t.factors[i] as number] as number;
      if (level < 0) return -1;
      index += level * (t.strides[i] as number);
    }
    return index;
  }

  mark(row: readonly number[]): number {
    let fresh = 0;
    for (const t of this.tuples) {
      const i = Coverage.indexOf(t, row);
      if (i >= 0 && t.covered[i] === 0) {
        t.covered[i] = 1;
        fresh++;
      }
    }
    this.uncovered -= fresh;
    return fresh;
  }

  /** New tuples covered by giving factor `f` level `level` in a partly assigned row. */
  gain(row: number[], f: number, level: number): number {
    let fresh = 0;
    if (this.strength === 2) {
      // Pairs: the other factor's level and the stride give the index directly (the hot loop of a plan).
      for (const t of this.byFactor[f] as Tuple[]) {
        const first = t.factors[0] as number;
        const other = first === f ? (t.factors[1] as number) : first;
        const lv = row[other] as number;
        if (lv < 0) continue;
        const stride = t.strides[1] as number;
        if (t.covered[first === f ? level + lv * stride : lv + level * stride] === 0) fresh++;
      }
      return fresh;
    }
    const before = row[f] as number;
    row[f] = level;
    for (const t of this.byFactor[f] as Tuple[]) {
      const i = Coverage.indexOf(t, row);
      if (i >= 0 && t.covered[i] === 0) fresh++;
    }
    row[f] = before;
    return fresh;
  }

  /** Tuples before this one are all covered (coverage only grows). */
  private scan = 0;

  /** A row holding the first uncovered tuple, other factors unassigned (-1). */
  firstUncovered(): number[] | undefined {
    for (; this.scan < this.tuples.length; this.scan++) {
      const t = this.tuples[this.scan] as Tuple;
      const i = t.covered.indexOf(0);
      if (i < 0) continue;
      const row = this.levels.map(() => -1);
      let rest = i;
      for (let k = t.factors.length - 1; k >= 0; k--) {
        const stride = t.strides[k] as number;
        row[t.factors[k] as number] = Math.floor(rest / stride);
        rest %= stride;
      }
      return row;
    }
    return undefined;
  }

  score(row: readonly number[]): number {
    let fresh = 0;
    for (const t of this.tuples) {
      const i = Coverage.indexOf(t, row);
      if (i >= 0 && t.covered[i] === 0) fresh++;
    }
    return fresh;
  }
}

function shuffled(items: number[], rng: Rng): number[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

/** Fills the unassigned factors of `start` greedily; returns the row and how many new tuples it covers. */
function fillRow(
  cov: Coverage,
  start: readonly number[],
  order: readonly number[],
  rng: Rng,
): { row: Row; score: number } {
  const row = [...start];
  let score = cov.score(row);
  for (const f of order) {
    if ((row[f] as number) >= 0) continue;
    const n = cov.levels[f] as number;
    // Ties go to the level after a random offset, so equal rows do not always favour level 0.
    const offset = n > 1 ? rng.int(0, n - 1) : 0;
    let best = offset;
    let bestGain = -1;
    for (let k = 0; k < n; k++) {
      const level = (offset + k) % n;
      const g = cov.gain(row, f, level);
      if (g > bestGain) {
        best = level;
        bestGain = g;
      }
    }
    row[f] = best;
    score += bestGain;
  }
  return { row, score };
}

/**
 * Rows covering every `strength`-tuple of levels not already covered by `seed` rows (which are not
 * returned), at most `limit` of them; the earlier rows cover the most. With fewer factors than `strength`,
 * every combination of all factors.
 */
export function coveringRows(input: {
  levels: readonly number[];
  strength: 2 | 3;
  seed: readonly Row[];
  rng: Rng;
  limit: number;
}): Row[] {
  const { levels, rng } = input;
  if (levels.length === 0 || levels.some((n) => n < 1)) return [];
  // Fewer factors than the strength: every combination of all of them (one factor: each level once).
  const cov = new Coverage(levels, Math.min(input.strength, levels.length));
  for (const row of input.seed) cov.mark(row);
  const out: Row[] = [];
  const natural = levels.map((_, i) => i);
  const candidates = candidateCount(levels);
  // One stream for the whole array: every draw depends only on the levels, the seed rows and the stream.
  const stream = rng.fork('covering');
  while (cov.uncovered > 0 && out.length < input.limit) {
    const start = cov.firstUncovered();
    if (!start) break;
    let best: Row | undefined;
    let bestScore = -1;
    for (let c = 0; c < candidates; c++) {
      const filled = fillRow(cov, start, c === 0 ? natural : shuffled(natural, stream), stream);
      if (filled.score > bestScore) {
        best = filled.row;
        bestScore = filled.score;
      }
    }
    if (!best) break;
    cov.mark(best);
    out.push(best);
  }
  return out;
}

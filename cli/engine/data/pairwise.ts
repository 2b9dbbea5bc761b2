/**
 * Combinations of input classes for one operation: the baseline (today's single input), the equal-value
 * combinations code compares, then a greedy covering array over the classes of every input, so that every
 * pair of classes of any two inputs is sent together at least once (all triples at `deep` for few inputs).
 * Sizes follow {@link DEPTH_LIMITS}; the result is deterministic for the stream and the factors.
 */
import { type InputClass, shortHash, slug } from './class-keys.ts';
import { coveringRows, type Row } from './covering-array.ts';
import { DEPTH_LIMITS, type Depth, type DepthLimits, TRIPLE_FACTORS } from './depth.ts';
import { equalValueRows } from './equal-values.ts';
import type { Rng } from './rng.ts';

/** One input of an operation and its classes. */
export interface Factor {
  /** Unique within the operation (`query:limit`, `body.name`); used in combination keys. */
  name: string;
  /** Its classes, the typical one first ({@link inputClasses}). May be empty only for an optional factor. */
  classes: readonly InputClass[];
  /** The input may be left out: "absent" becomes one of its levels. @default false */
  optional?: boolean;
  /** With `optional`: the baseline leaves it out (as a single-input plan does for optional parameters). @default false */
  absentByDefault?: boolean;
  /**
   * Whether a value is valid for this input (e.g. `conforms` against its schema): lets an equal-value
   * combination give it a value taken from another input. Without it only values among its classes are used.
   */
  accepts?: (value: unknown) => boolean;
}

/** One combination: a class per factor (null = absent), in the order of the factors. */
export interface Combination {
  /**
   * How it was chosen: `baseline` (the single input of `quick`), `equal`/`ascending`/`descending`
   * (compared values), `pairwise` (covering rows), `each` (classes past the paired ones, each used once).
   */
  kind: 'baseline' | 'equal' | 'ascending' | 'descending' | 'pairwise' | 'each';
  /** Content-derived and unique within the result: `baseline`, `equal_a_b_c_one`, `a-zero__b-max`. */
  key: string;
  label: string;
  picks: Array<InputClass | null>;
}

export interface CombineOptions {
  /** The operation's own stream (forked by operation id): ties in the covering array are broken with it. */
  rng: Rng;
  depth: Depth;
  /** Overrides of the depth's limits. */
  limits?: Partial<DepthLimits>;
}

/** Longest combination key before it is shortened with a hash. */
const MAX_KEY = 96;

/** The levels of one factor: its classes (capped), with "absent" first or last when it is optional. */
function levelsOf(factor: Factor, paired: number): { levels: Array<InputClass | null>; rest: InputClass[] } {
  const room = Math.max(1, factor.optional ? paired - 1 : paired);
  const classes = factor.classes.slice(0, room);
  const rest = factor.classes.slice(room);
  // A factor with no class at all can only be left out.
  if (classes.length === 0) return { levels: [null], rest };
  if (!factor.optional) return { levels: classes, rest };
  return { levels: factor.absentByDefault ? [null, ...classes] : [...classes, null], rest };
}

function rowKey(
  names: readonly string[],
  picks: ReadonlyArray<InputClass | null>,
  base: ReadonlyArray<InputClass | null>,
): string {
  let key = '';
  for (let i = 0; i < picks.length; i++) {
    const pick = picks[i] as InputClass | null;
    if (pick === base[i]) continue;
    key += `${key === '' ? '' : '__'}${names[i]}-${pick === null ? 'absent' : pick.key}`;
  }
  if (key === '') return 'baseline';
  return key.length <= MAX_KEY ? key : `${key.slice(0, MAX_KEY - 8)}_${shortHash(key)}`;
}

/** What a combination changes from the baseline (`page: at maximum 100; q: empty string`). */
function describe(
  factors: readonly Factor[],
  picks: ReadonlyArray<InputClass | null>,
  base: ReadonlyArray<InputClass | null>,
): string {
  const parts: string[] = [];
  picks.forEach((pick, i) => {
    if (pick !== base[i])
      parts.push(`${(factors[i] as Factor).name}: ${pick === null ? 'absent' : pick.label}`);
  });
  return parts.length === 0 ? 'typical values' : parts.join('; ');
}

/** Rows past the paired classes: the k-th row gives every factor its k-th leftover class (baseline when none is left). */
function eachRows(
  levels: ReadonlyArray<ReadonlyArray<InputClass | null>>,
  rests: readonly InputClass[][],
  base: Row,
): Array<Array<InputClass | null>> {
  const count = Math.max(0, ...rests.map((r) => r.length));
  return Array.from({ length: count }, (_, k) =>
    rests.map(
      (rest, f) => rest[k] ?? (levels[f] as ReadonlyArray<InputClass | null>)[base[f] as number] ?? null,
    ),
  );
}

/**
 * The combinations of one operation's factors, baseline first. `quick` gives the baseline only; `standard`
 * and `deep` add equal-value combinations, covering rows and each leftover class once, up to the
 * operation's limit (covering rows give way so that the other kinds fit).
 */
export function combine(factors: readonly Factor[], options: CombineOptions): Combination[] {
  const limits: DepthLimits = { ...DEPTH_LIMITS[options.depth], ...options.limits };
  const shaped = factors.map((f) => levelsOf(f, limits.pairedClasses));
  const names = factors.map((f) => slug(f.name));
  const levels = shaped.map((s) => s.levels);
  const baseRow: Row = levels.map(() => 0);
  const base = levels.map((l) => l[0] ?? null);
  const out: Combination[] = [
    { kind: 'baseline', key: 'baseline', label: describe(factors, base, base), picks: base },
  ];
  if (limits.maxCombinations <= 1 || options.depth === 'quick')
    return out.slice(0, Math.max(1, limits.maxCombinations));
  const seen = new Set([rowKey(names, base, base)]);
  const add = (c: Combination): void => {
    const signature = rowKey(names, c.picks, base);
    if (seen.has(signature)) return;
    seen.add(signature);
    out.push(c);
  };
  const equalFactors = factors.map((f, i) => ({
    name: f.name,
    levels: [...levels[i]!, ...shaped[i]!.rest],
    accepts: f.accepts,
  }));
  for (const row of equalValueRows(equalFactors, base, limits.equalValues)) add(row);
  const each = eachRows(
    levels,
    shaped.map((s) => s.rest),
    baseRow,
  );
  const seedRows = out
    .map((c) => c.picks.map((pick, f) => levels[f]!.indexOf(pick)))
    .map((row) => row.map((l) => Math.max(-1, l)));
  const room = Math.max(0, limits.maxCombinations - out.length - each.length);
  // Triples only where all of them fit: at least (product of the three largest level counts) rows are needed.
  const largest = levels.map((l) => l.length).sort((a, b) => b - a);
  const tripleRows = (largest[0] ?? 0) * (largest[1] ?? 0) * (largest[2] ?? 0);
  const strength =
    limits.triples && factors.length >= 3 && factors.length <= TRIPLE_FACTORS && tripleRows <= room ? 3 : 2;
  const rows = coveringRows({
    levels: levels.map((l) => l.length),
    strength,
    // A seed row whose pick is not among the factor's levels covers nothing for that factor (-1).
    seed: seedRows,
    rng: options.rng.fork('pairwise'),
    limit: room,
  });
  for (const row of rows) {
    const picks = row.map((level, f) => levels[f]![level] ?? null);
    add({ kind: 'pairwise', key: rowKey(names, picks, base), label: describe(factors, picks, base), picks });
  }
  for (const picks of each)
    add({ kind: 'each', key: rowKey(names, picks, base), label: describe(factors, picks, base), picks });
  return out.slice(0, limits.maxCombinations);
}

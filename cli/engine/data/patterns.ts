/**
 * Strings that match a `pattern`, generated with randexp driven by our seeded {@link Rng} (its `randInt`
 * is replaced, so output is deterministic). Length limits are met by retrying a bounded number of times
 * with different repetition caps and a bias towards long repetitions.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-6.3.3 (pattern)
 */
import RandExpModule from 'randexp';
import { codePointLength, compilePattern } from './json.ts';
import type { Rng } from './rng.ts';

// randexp is CommonJS with `module.exports = RandExp`: Node's ESM default import gives the class itself,
// while TypeScript types the import as the module namespace (class under `default`). Accept either shape.
type RandExpClass = typeof RandExpModule.default;
type RandExpInstance = InstanceType<RandExpClass>;
const RandExp: RandExpClass =
  (RandExpModule as unknown as { default?: RandExpClass }).default ??
  (RandExpModule as unknown as RandExpClass);

type Range = RandExpInstance['defaultRange'];

interface Generator {
  re: RandExpInstance;
  /** Printable ASCII. */
  full: Range;
  /** Letters, digits, `-`, `_` and `.`: used first, for readable values. */
  friendly: Range;
}

const generators = new Map<string, Generator | null>();

/** ASCII stand-ins for Unicode property escapes, which randexp does not understand (as class contents). */
const PROPERTY_CLASSES: Record<string, string> = {
  L: 'a-zA-Z',
  Letter: 'a-zA-Z',
  Lu: 'A-Z',
  Ll: 'a-z',
  N: '0-9',
  Nd: '0-9',
  Number: '0-9',
  Alphabetic: 'a-zA-Z',
  White_Space: ' ',
};

/**
 * The pattern source randexp generates from: `\p{…}` escapes replaced by ASCII classes. Acceptance is
 * still decided by the real pattern, so an approximation here only costs retries.
 */
function forRandexp(pattern: string): string {
  return clampRepetitions(replacePropertyEscapes(pattern));
}

/** Extra repetitions allowed above a quantifier's minimum when generating. */
const REPETITION_SLACK = 64;

/**
 * Narrows wide explicit quantifiers (`.{0,262144}` → `.{0,64}`) for generation only: randexp builds every
 * repeated character one by one, so a huge upper bound costs seconds per value. Anything generated still matches
 * the real pattern, which alone decides acceptance.
 */
function clampRepetitions(source: string): string {
  return source.replace(/(?<!\\)\{(\d+),(\d*)\}/g, (whole, low: string, high: string) => {
    const min = Number(low);
    const max = high === '' ? Number.POSITIVE_INFINITY : Number(high);
    return max - min > REPETITION_SLACK ? `{${min},${min + REPETITION_SLACK}}` : whole;
  });
}

function replacePropertyEscapes(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const m = /^\\p\{([A-Za-z_]+)(?:=([A-Za-z_]+))?\}/.exec(pattern.slice(i));
      const name = m ? (m[2] ?? m[1] ?? '') : '';
      const ascii = PROPERTY_CLASSES[name];
      if (m && ascii !== undefined) {
        out += inClass ? ascii : `[${ascii}]`;
        i += m[0].length - 1;
      } else {
        out += pattern.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch;
  }
  return out;
}

type Token = Parameters<RandExpInstance['_expand']>[0];

/**
 * Caches randexp's character-set expansion per token and default range. randexp rebuilds the range of a
 * set (`[a-z0-9_]`) on every character it draws, which dominated synthesis time; the expansion depends only
 * on the token, the default range and the (fixed) case flag, and randexp only reads the result.
 */
function memoizeExpand(re: RandExpInstance): void {
  const expand = re._expand.bind(re);
  const byRange = new WeakMap<Range, WeakMap<Token, Range>>();
  re._expand = (token: Token): Range => {
    let cache = byRange.get(re.defaultRange);
    if (!cache) {
      cache = new WeakMap();
      byRange.set(re.defaultRange, cache);
    }
    let range = cache.get(token);
    if (range === undefined) {
      range = expand(token);
      cache.set(token, range);
    }
    return range;
  };
}

function generatorFor(pattern: string): Generator | null {
  let gen = generators.get(pattern);
  if (gen !== undefined) return gen;
  try {
    const re = new RandExp(forRandexp(pattern));
    const full = re.defaultRange.clone();
    const friendly = full
      .clone()
      .subtract(32, 44)
      .subtract(47, 47)
      .subtract(58, 64)
      .subtract(91, 94)
      .subtract(96, 96)
      .subtract(123, 126);
    memoizeExpand(re);
    gen = { re, full, friendly };
  } catch {
    gen = null;
  }
  generators.set(pattern, gen);
  return gen;
}

/** Constraints on the generated string besides the pattern. */
export interface PatternTarget {
  minLength?: number;
  maxLength?: number;
  /** An exact length (overrides min/max). */
  length?: number;
  /** Extra acceptance test (e.g. a format check). */
  accept?: (value: string) => boolean;
  /** How many candidates to try. @default 24 */
  attempts?: number;
}

/**
 * The longest string generated to match a pattern. Repetition caps grow towards a target length, and with
 * nested repetitions (AWS's certificate chains: `(…([A-Za-z0-9/+]{64}\r?\n)*…)*`, maxLength 2,097,152) a
 * target of megabytes made one attempt build hundreds of megabytes: minutes per value, or out of memory.
 */
export const MAX_PATTERN_LENGTH = 4096;

/**
 * Random draws one attempt may make (a repetition count or a character each). Caps apply per quantifier, so
 * nested repetitions multiply them: without a bound on the whole attempt, one value could take minutes.
 */
const DRAWS_PER_ATTEMPT = 8 * MAX_PATTERN_LENGTH;

/** Thrown from randexp's draw function to abandon an attempt that grew past {@link DRAWS_PER_ATTEMPT}. */
class TooManyDraws extends Error {}

/** A string matching `pattern` and the target, or undefined when none was found within the attempts. */
export function stringForPattern(pattern: string, rng: Rng, target: PatternTarget = {}): string | undefined {
  const gen = generatorFor(pattern);
  const regex = compilePattern(pattern);
  if (!gen || !regex) return undefined;
  const min = target.length ?? target.minLength ?? 0;
  const max = target.length ?? target.maxLength ?? Number.POSITIVE_INFINITY;
  // No value that long is made (a boundary case at such a maxLength is left out instead).
  if (min > MAX_PATTERN_LENGTH) return undefined;
  const attempts = target.attempts ?? 24;
  const { re } = gen;
  const constrained = min > 0 || Number.isFinite(max);
  let cap = Math.max(1, Math.min(6, Number.isFinite(max) ? max : 6, Math.max(min, 1)));
  for (let i = 0; i < attempts; i++) {
    // Odd attempts lean towards maximal repetitions; the repetition cap adapts to the lengths seen.
    const bias = constrained && i % 2 === 1 ? 0.9 : 0;
    re.max = cap;
    re.defaultRange = i < attempts / 2 ? gen.friendly : gen.full;
    let draws = 0;
    re.randInt = (a: number, b: number) => {
      draws += 1;
      if (draws > DRAWS_PER_ATTEMPT) throw new TooManyDraws();
      return bias > 0 && rng.next() < bias ? b : rng.int(a, b);
    };
    let value: string;
    try {
      value = re.gen();
    } catch (error) {
      if (!(error instanceof TooManyDraws)) return undefined;
      // Too long to build: try again with half the repetitions.
      cap = Math.max(1, Math.floor(cap / 2));
      continue;
    }
    const length = codePointLength(value);
    if (length < min) cap = Math.min(MAX_PATTERN_LENGTH, cap + (min - length));
    else if (length > max) cap = Math.max(0, cap - (length - max));
    else if (regex.test(value) && (!target.accept || target.accept(value))) return value;
  }
  return undefined;
}

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
  /** Called with each literal run randexp emits (see {@link countLiterals}); set per attempt. */
  spend: (units: number) => void;
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

/** randexp's (ret's) token types that emit text without drawing a random number. */
const REFERENCE_TOKEN = 6;
const CHAR_TOKEN = 7;

/**
 * Reports the text randexp emits without a random draw (literal characters, backreferences) to
 * `gen.spend`, so an attempt is bounded by what it builds, not only by its draws: in
 * `^[a-zA-Z0-9](-*[a-zA-Z0-9])*` each repetition of `-` is one literal, and at a cap of 4,096 one attempt
 * built 16 million characters from 8,000 draws (sagemaker spent 4 s and most of it in GC on one value).
 */
function countLiterals(gen: Generator): void {
  const { re } = gen;
  const generate = re._gen.bind(re);
  re._gen = (token, groups) => {
    const text = generate(token, groups);
    if (token.type === CHAR_TOKEN || token.type === REFERENCE_TOKEN) gen.spend(text.length);
    return text;
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
    gen = { re, full, friendly, spend: () => {} };
    countLiterals(gen);
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
 * Work one attempt may do: random draws (a repetition count or a character each) plus literal characters
 * emitted (see {@link countLiterals}). Caps apply per quantifier, so nested repetitions multiply them:
 * without a bound on the whole attempt, one value could take minutes.
 */
const DRAWS_PER_ATTEMPT = 8 * MAX_PATTERN_LENGTH;

/**
 * Work all attempts for one value may do together: a length the pattern's repetitions rarely land on
 * (an exact boundary length) would otherwise cost every attempt's full share before being left out.
 */
const DRAWS_PER_VALUE = 4 * DRAWS_PER_ATTEMPT;

/** Thrown from randexp's hooks to abandon an attempt that grew past {@link DRAWS_PER_ATTEMPT}. */
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
  let drawsLeft = DRAWS_PER_VALUE;
  for (let i = 0; i < attempts && drawsLeft > 0; i++) {
    // Odd attempts lean towards maximal repetitions; the repetition cap adapts to the lengths seen.
    const bias = constrained && i % 2 === 1 ? 0.9 : 0;
    re.max = cap;
    re.defaultRange = i < attempts / 2 ? gen.friendly : gen.full;
    const limit = Math.min(DRAWS_PER_ATTEMPT, drawsLeft);
    let draws = 0;
    gen.spend = (units: number) => {
      draws += units;
      if (draws > limit) throw new TooManyDraws();
    };
    re.randInt = (a: number, b: number) => {
      draws += 1;
      if (draws > limit) throw new TooManyDraws();
      return bias > 0 && rng.next() < bias ? b : rng.int(a, b);
    };
    let value: string;
    try {
      value = re.gen();
    } catch (error) {
      if (!(error instanceof TooManyDraws)) return undefined;
      drawsLeft -= limit;
      // Too long to build: try again with half the repetitions.
      cap = Math.max(1, Math.floor(cap / 2));
      continue;
    }
    drawsLeft -= draws;
    const length = codePointLength(value);
    const fits = (v: string): boolean => regex.test(v) && (!target.accept || target.accept(v));
    if (length < min) cap = Math.min(MAX_PATTERN_LENGTH, cap + (min - length));
    else if (length > max) {
      // Nested repetitions rarely land on an exact length, but a prefix often matches too
      // (`^[a-zA-Z0-9](-*[a-zA-Z0-9])*` at 1,024: any prefix ending in a letter or digit).
      const prefix = codePointPrefix(value, max);
      if (max >= min && fits(prefix)) return prefix;
      // Down by the excess, or in proportion when that is gentler: with nested repetitions the length grows
      // faster than the cap, and taking the whole excess off sent the cap to 0 and back.
      const proportional = Math.floor((cap * max) / length);
      cap = Math.max(0, Math.min(cap - 1, Math.max(cap - (length - max), proportional)));
    } else if (fits(value)) return value;
  }
  return undefined;
}

/** The first `count` code points of `text`. */
function codePointPrefix(text: string, count: number): string {
  let end = 0;
  for (let n = 0; n < count && end < text.length; n++) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, end);
}

/**
 * Single-keyword violations of one value (a scalar, an array, or an object as a whole). Every candidate
 * must fail the schema, and — except for type violations — pass it once the violated keyword is removed,
 * so it fails for the stated reason only. Candidates that cannot be made so are skipped.
 */
import type { JsonSchemaObject } from '../ir/types.ts';
import { type CheckEnv, checkedFormat, conforms } from './check.ts';
import type { GenState } from './context.ts';
import { deriveState } from './context.ts';
import { generateItems } from './generate.ts';
import { stringOfLength } from './generate-string.ts';
import { codePointLength, jsonType } from './json.ts';
import { multipleAt, numericRange } from './numbers.ts';
import { schemaTypes } from './resolve.ts';
import { primaryType } from './scalar-view.ts';

export type ViolationKind =
  | 'missing-required'
  | 'wrong-type'
  | 'enum'
  | 'pattern'
  | 'format'
  | 'below-minimum'
  | 'above-maximum'
  | 'too-short'
  | 'too-long'
  | 'too-few-items'
  | 'too-many-items'
  | 'additional-property'
  | 'null-not-allowed'
  | 'multiple-of'
  | 'const';

/** A replacement value for the location, with what is wrong about it. */
export interface LeafViolation {
  kind: ViolationKind;
  /** Label without subject, e.g. `longer than maxLength 40`. */
  text: string;
  value: unknown;
}

/** Longest string / largest array produced for a violation; schemas with larger limits are skipped. */
export const MAX_VIOLATION_LENGTH = 10_000;
const MAX_VIOLATION_ITEMS = 1000;

interface LeafInput {
  flat: JsonSchemaObject;
  value: unknown;
  wire: 'json' | 'string';
  st: GenState;
}

/** Keywords whose removal must make a candidate valid, per kind (type kinds are not isolated). */
const ISOLATING_KEYWORDS: Partial<Record<ViolationKind, string[]>> = {
  enum: ['enum'],
  const: ['const'],
  pattern: ['pattern'],
  format: ['format'],
  'below-minimum': ['minimum', 'exclusiveMinimum'],
  'above-maximum': ['maximum', 'exclusiveMaximum'],
  'too-short': ['minLength'],
  'too-long': ['maxLength'],
  'too-few-items': ['minItems'],
  'too-many-items': ['maxItems'],
  'multiple-of': ['multipleOf'],
};

function without(flat: JsonSchemaObject, keys: readonly string[]): JsonSchemaObject {
  const out: JsonSchemaObject = { ...flat };
  for (const key of keys) delete out[key];
  return out;
}

/** Whether `candidate` violates `flat` because of `kind` alone. */
function isViolation(
  flat: JsonSchemaObject,
  kind: ViolationKind,
  candidate: unknown,
  env: CheckEnv,
): boolean {
  if (candidate === undefined || conforms(flat, candidate, env)) return false;
  const keys = ISOLATING_KEYWORDS[kind];
  return keys === undefined || conforms(without(flat, keys), candidate, env);
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

function typeCandidates(input: LeafInput, types: string[]): LeafViolation[] {
  const main = primaryType(input.flat) ?? types[0] ?? 'value';
  const wanted = types.filter((t) => t !== 'null').join(' or ');
  let pool: unknown[];
  if (input.wire === 'string') {
    if (types.includes('string') || !['integer', 'number', 'boolean'].includes(main)) return [];
    pool = ['abc'];
  } else {
    pool = main === 'string' ? [12345, true] : ['abc', 12345, true, []];
  }
  for (const candidate of pool) {
    const actual = jsonType(candidate);
    const matches = types.includes(actual) || (actual === 'integer' && types.includes('number'));
    if (!matches && !conforms(input.flat, candidate, input.st.env)) {
      return [{ kind: 'wrong-type', text: `not of type ${wanted} (${show(candidate)})`, value: candidate }];
    }
  }
  return [];
}

function firstOf(input: LeafInput, kind: ViolationKind, pool: unknown[], text: (v: unknown) => string) {
  for (const candidate of pool) {
    if (isViolation(input.flat, kind, candidate, input.st.env))
      return [{ kind, text: text(candidate), value: candidate }];
  }
  return [];
}

function enumLike(input: LeafInput): LeafViolation[] {
  const { flat } = input;
  const out: LeafViolation[] = [];
  if (Array.isArray(flat.enum) && flat.enum.length > 0) {
    const sample = flat.enum.find((v) => v !== null) ?? flat.enum[0];
    const pool = variants(sample, flat.enum);
    out.push(...firstOf(input, 'enum', pool, (v) => `${show(v)} not one of the allowed values`));
  }
  if (flat.const !== undefined) {
    out.push(
      ...firstOf(
        input,
        'const',
        variants(flat.const, [flat.const]),
        (v) => `${show(v)} instead of ${show(flat.const)}`,
      ),
    );
  }
  return out;
}

/** Values of the same type as `sample` that are not among `taken`. */
function variants(sample: unknown, taken: unknown[]): unknown[] {
  if (typeof sample === 'string') {
    const texts = taken.filter((t): t is string => typeof t === 'string');
    return [
      `${sample}_invalid`,
      'invalid',
      `${sample}x`,
      sample.slice(0, -1),
      'x',
      sample.toUpperCase(),
    ].filter((c) => !texts.includes(c));
  }
  if (typeof sample === 'number') {
    const nums = taken.filter((t): t is number => typeof t === 'number');
    const hi = Math.max(...nums);
    const lo = Math.min(...nums);
    return [hi + 1, lo - 1, hi + 0.5, (lo + hi) / 2 + 0.5].filter((c) => !nums.includes(c));
  }
  if (typeof sample === 'boolean') return [!sample].filter((c) => !taken.includes(c));
  return [];
}

function stringViolations(input: LeafInput, text: string): LeafViolation[] {
  const { flat, st } = input;
  const out: LeafViolation[] = [];
  const min = flat.minLength ?? 0;
  const max = flat.maxLength ?? Number.POSITIVE_INFINITY;
  const clampLength = (s: string): string => {
    const n = Math.min(Math.max(codePointLength(s), min), Math.min(max, MAX_VIOLATION_LENGTH));
    return s.length >= n ? s.slice(0, n) : s + 'x'.repeat(n - s.length);
  };
  if (typeof flat.pattern === 'string') {
    const n = Math.max(1, Math.min(Math.max(codePointLength(text), min), max));
    const pool = ['!', ' ', '0', 'a', 'Z', '-', '_'].map((c) => c.repeat(n));
    pool.push(`!${text.slice(1)}`, `${text}!`, clampLength(`${text} !`));
    // Text on the wire (headers in particular) may be trimmed: keep only values that survive trimming.
    const usable = input.wire === 'string' ? pool.filter((c) => c.trim() === c) : pool;
    out.push(...firstOf(input, 'pattern', usable, (v) => `${show(v)} not matching pattern ${flat.pattern}`));
  }
  const format = typeof flat.format === 'string' ? flat.format : undefined;
  if (format && checkedFormat(format) === 'string') {
    const pool = [`not-a-${format}`, 'not a valid value', '2024-13-45T25:61:00Z', '999.999.1.1', 'x', '%%%'];
    out.push(...firstOf(input, 'format', pool.map(clampLength), (v) => `${show(v)} not a valid ${format}`));
  }
  if (flat.minLength !== undefined && flat.minLength > 0) {
    const value = stringOfLength(flat, flat.minLength - 1, st.rng.fork('too-short'), st.hint);
    const label = `shorter than minLength ${flat.minLength}`;
    out.push(...firstOf(input, 'too-short', [value], () => label));
  }
  if (flat.maxLength !== undefined && flat.maxLength < MAX_VIOLATION_LENGTH) {
    const value = stringOfLength(flat, flat.maxLength + 1, st.rng.fork('too-long'), st.hint);
    out.push(...firstOf(input, 'too-long', [value], () => `longer than maxLength ${flat.maxLength}`));
  }
  return out;
}

function numberViolations(input: LeafInput, value: number, integer: boolean): LeafViolation[] {
  const { flat } = input;
  const out: LeafViolation[] = [];
  const r = numericRange({ ...flat, format: undefined }, integer);
  const m = r.multipleOf;
  for (const edge of ['min', 'max'] as const) {
    const bound = edge === 'min' ? r.min : r.max;
    if (bound === undefined) continue;
    const dir = edge === 'min' ? -1 : 1;
    const exclusive = edge === 'min' ? r.minExclusive : r.maxExclusive;
    const pool: unknown[] = exclusive ? [bound] : [];
    if (m !== undefined)
      pool.push(multipleAt((edge === 'min' ? Math.ceil(bound / m) : Math.floor(bound / m)) + dir, m));
    pool.push(integer ? (edge === 'min' ? Math.ceil(bound) - 1 : Math.floor(bound) + 1) : bound + dir);
    if (!integer) pool.push(bound + dir * 0.5, bound + dir * 0.01);
    const kind = edge === 'min' ? 'below-minimum' : 'above-maximum';
    const word = `${exclusive ? 'exclusive ' : ''}${edge === 'min' ? 'minimum' : 'maximum'} ${bound}`;
    const text = (v: unknown) => `${show(v)} ${edge === 'min' ? 'below' : 'above'} ${word}`;
    out.push(...firstOf(input, kind, pool, text));
  }
  if (m !== undefined) {
    const pool = [
      value + m / 2,
      value - m / 2,
      value + 1,
      value - 1,
      value + m / 3,
      value - m / 3,
      value + 0.5,
    ];
    out.push(...firstOf(input, 'multiple-of', pool, (v) => `${show(v)} not a multiple of ${m}`));
  }
  const format = typeof flat.format === 'string' ? flat.format : undefined;
  if (format && checkedFormat(format) === 'number') {
    const pool = [2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 0.5, 1.5];
    out.push(...firstOf(input, 'format', pool, (v) => `${show(v)} out of range for ${format}`));
  }
  return out;
}

function arrayViolations(input: LeafInput, items: unknown[]): LeafViolation[] {
  const { flat, st, wire } = input;
  const out: LeafViolation[] = [];
  const min = flat.minItems ?? 0;
  if (min > 0 && items.length >= min - 1 && !(wire === 'string' && min === 1)) {
    out.push(
      ...firstOf(input, 'too-few-items', [items.slice(0, min - 1)], () => `with fewer than minItems ${min}`),
    );
  }
  const max = flat.maxItems;
  if (max !== undefined && max < MAX_VIOLATION_ITEMS) {
    const value = generateItems(flat, deriveState(st, st.hint, { rng: st.rng.fork('too-many') }), {
      count: max + 1,
      min: max + 1,
      existing: items,
    });
    out.push(...firstOf(input, 'too-many-items', [value], () => `with more than maxItems ${max}`));
  }
  return out;
}

/** Violations of `input.flat` on `input.value` itself (not inside it). */
export function leafViolations(input: LeafInput): LeafViolation[] {
  const { flat, value, wire } = input;
  const types = schemaTypes(flat);
  const out: LeafViolation[] = [];
  if (flat.type !== undefined && types) out.push(...typeCandidates(input, types));
  if (wire === 'json' && flat.type !== undefined && !conforms(flat, null, input.st.env)) {
    out.push({ kind: 'null-not-allowed', text: 'set to null', value: null });
  }
  out.push(...enumLike(input));
  if (typeof value === 'string') out.push(...stringViolations(input, value));
  if (typeof value === 'number') out.push(...numberViolations(input, value, primaryType(flat) === 'integer'));
  if (Array.isArray(value)) out.push(...arrayViolations(input, value));
  return out;
}

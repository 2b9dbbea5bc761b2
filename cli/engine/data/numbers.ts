/**
 * Numeric ranges of a schema (minimum/maximum, exclusive bounds, int32/int64 formats) and values inside
 * them that also satisfy `multipleOf` under Ajv's floating-point test.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-6.2
 */
import type { JsonSchemaObject } from '../ir/types.ts';
import { isMultipleOf } from './check.ts';
import type { Rng } from './rng.ts';

/** The effective lower and upper bounds of a numeric schema. */
export interface NumericRange {
  min?: number;
  minExclusive: boolean;
  max?: number;
  maxExclusive: boolean;
  integer: boolean;
  multipleOf?: number;
}

const FORMAT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The bounds a numeric schema imposes (the stricter of inclusive and exclusive bounds). */
export function numericRange(flat: JsonSchemaObject, integer: boolean): NumericRange {
  const range: NumericRange = { minExclusive: false, maxExclusive: false, integer };
  if (typeof flat.minimum === 'number') range.min = flat.minimum;
  if (
    typeof flat.exclusiveMinimum === 'number' &&
    (range.min === undefined || flat.exclusiveMinimum >= range.min)
  ) {
    range.min = flat.exclusiveMinimum;
    range.minExclusive = true;
  }
  if (typeof flat.maximum === 'number') range.max = flat.maximum;
  if (
    typeof flat.exclusiveMaximum === 'number' &&
    (range.max === undefined || flat.exclusiveMaximum <= range.max)
  ) {
    range.max = flat.exclusiveMaximum;
    range.maxExclusive = true;
  }
  const formatRange = typeof flat.format === 'string' ? FORMAT_RANGES[flat.format] : undefined;
  if (formatRange) {
    if (range.min === undefined || range.min < formatRange[0]) {
      range.min = formatRange[0];
      range.minExclusive = false;
    }
    if (range.max === undefined || range.max > formatRange[1]) {
      range.max = formatRange[1];
      range.maxExclusive = false;
    }
  }
  if (typeof flat.multipleOf === 'number' && flat.multipleOf > 0) range.multipleOf = flat.multipleOf;
  return range;
}

/** Whether `value` lies in the range (bounds, integrality and multipleOf). */
export function inRange(value: number, r: NumericRange): boolean {
  if (!Number.isFinite(value)) return false;
  if (r.integer && !Number.isInteger(value)) return false;
  if (r.min !== undefined && (r.minExclusive ? value <= r.min : value < r.min)) return false;
  if (r.max !== undefined && (r.maxExclusive ? value >= r.max : value > r.max)) return false;
  return r.multipleOf === undefined || isMultipleOf(value, r.multipleOf);
}

/** Decimal places of a number as written (`0.05` → 2, `1e-3` → 3). */
export function decimals(n: number): number {
  const text = String(n);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

function roundTo(value: number, places: number): number {
  return Number(value.toFixed(Math.min(places, 20)));
}

/** `k * multipleOf`, rounded to the divisor's precision so it passes Ajv's quotient test where possible. */
export function multipleAt(k: number, multipleOf: number): number {
  return roundTo(k * multipleOf, decimals(multipleOf));
}

/**
 * The lowest (`edge: 'min'`) or highest valid value of the range; undefined when the range is unbounded on
 * that side or empty. Exclusive bounds move inwards by 1 for integers, else by `multipleOf` or `step`.
 */
export function edgeValue(r: NumericRange, edge: 'min' | 'max', step: number): number | undefined {
  const bound = edge === 'min' ? r.min : r.max;
  if (bound === undefined) return undefined;
  const dir = edge === 'min' ? 1 : -1;
  if (r.multipleOf !== undefined) {
    const m = r.multipleOf;
    let k = edge === 'min' ? Math.ceil(bound / m) : Math.floor(bound / m);
    for (let i = 0; i < 8; i++, k += dir) {
      const v = multipleAt(k, m);
      if (inRange(v, r)) return v;
    }
    return undefined;
  }
  const exclusive = edge === 'min' ? r.minExclusive : r.maxExclusive;
  let v: number;
  if (r.integer) v = edge === 'min' ? Math.floor(bound) + 1 : Math.ceil(bound) - 1;
  else v = roundTo(bound + dir * step, Math.max(decimals(bound), decimals(step)));
  if (!exclusive) v = r.integer ? (edge === 'min' ? Math.ceil(bound) : Math.floor(bound)) : bound;
  return inRange(v, r) ? v : undefined;
}

/** The window values are normally drawn from: the whole range when it is small, else near 1..100. */
function window(r: NumericRange): [number, number] {
  const lo = r.min ?? Number.NEGATIVE_INFINITY;
  const hi = r.max ?? Number.POSITIVE_INFINITY;
  if (hi - lo <= 100) return [lo, hi];
  if (lo <= 1 && hi >= 1) return [Math.max(lo, r.integer ? 1 : 0.5), Math.min(hi, 100)];
  if (hi < 1) return [Math.max(lo, hi - 100), hi];
  return [lo, Math.min(hi, lo + 100)];
}

/** A value inside the range, preferring small positive numbers; undefined when none was found. */
export function numberInRange(r: NumericRange, rng: Rng): number | undefined {
  const [wlo, whi] = window(r);
  if (r.multipleOf !== undefined) {
    const m = r.multipleOf;
    const kmin = Math.ceil(wlo / m);
    const kmax = Math.max(kmin, Math.floor(whi / m));
    const start = rng.int(kmin, Math.min(kmax, kmin + 1000));
    for (let i = 0; i < 16; i++) {
      const v = multipleAt(start + (i % 2 === 0 ? i / 2 : -(i + 1) / 2), m);
      if (inRange(v, r)) return v;
    }
    return edgeValue(r, 'min', m) ?? edgeValue(r, 'max', m);
  }
  if (r.integer) {
    const v = rng.int(Math.ceil(wlo), Math.floor(whi));
    if (inRange(v, r)) return v;
  } else {
    const v = roundTo(wlo + rng.next() * (whi - wlo), 2);
    if (inRange(v, r)) return v;
    const mid = (wlo + whi) / 2;
    if (inRange(mid, r)) return mid;
  }
  const lo = r.min;
  const hi = r.max;
  if (lo !== undefined && hi !== undefined && inRange((lo + hi) / 2, r)) return (lo + hi) / 2;
  return edgeValue(r, 'min', 0.01) ?? edgeValue(r, 'max', 0.01);
}

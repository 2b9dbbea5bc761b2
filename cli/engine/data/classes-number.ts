/**
 * Candidate classes of an integer or number input: landmarks (0, ±1, 2), magnitudes, a fraction, and the
 * edges of the declared range (min, min+1, max−1, max; one step inside exclusive bounds; multipleOf
 * honoured). Candidates outside the range are left for the caller's validity check to drop.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-6.2
 */
import type { JsonSchemaObject } from '../ir/types.ts';
import type { InputClass } from './class-keys.ts';
import { decimals, edgeValue, inRange, multipleAt, type NumericRange, numericRange } from './numbers.ts';

const c = (key: string, label: string, value: number): InputClass => ({ key, label, value });

/** A value rounded to the decimals of its inputs, so `0.3 + 0.1` reads `0.4`. */
function add(a: number, b: number): number {
  return Number((a + b).toFixed(Math.min(20, Math.max(decimals(a), decimals(b)))));
}

/** The smallest step of the range's values: the divisor, 1 for integers, else 0.01 (or finer, as the bounds are written). */
function fineStep(r: NumericRange): number {
  if (r.multipleOf !== undefined) return r.multipleOf;
  if (r.integer) return 1;
  return 10 ** -Math.max(2, decimals(r.min ?? 0), decimals(r.max ?? 0));
}

/** The step of `min+1` and `max−1`: 1 where the range is wide enough for it, else the fine step. */
function unitStep(r: NumericRange): number {
  const width = r.min !== undefined && r.max !== undefined ? r.max - r.min : Number.POSITIVE_INFINITY;
  return r.multipleOf === undefined && width > 4 ? 1 : fineStep(r);
}

function edgeClasses(flat: JsonSchemaObject, r: NumericRange): InputClass[] {
  // Edges come from the schema's own bounds: int32/int64 limits are not "declared" maxima worth a case each.
  const explicit = numericRange({ ...flat, format: undefined }, r.integer);
  const fine = fineStep(r);
  const step = unitStep(r);
  const out: InputClass[] = [];
  if (explicit.min !== undefined) {
    const min = edgeValue(r, 'min', fine);
    if (min !== undefined) {
      out.push(
        c(
          'min',
          explicit.minExclusive
            ? `just above exclusive minimum ${explicit.min} (${min})`
            : min === explicit.min
              ? `at minimum ${min}`
              : `at ${min}, the lowest valid value`,
          min,
        ),
        c('min_plus_1', `one step above the lowest valid value (${add(min, step)})`, add(min, step)),
      );
    }
  }
  if (explicit.max !== undefined) {
    const max = edgeValue(r, 'max', fine);
    if (max !== undefined) {
      out.push(
        c('max_minus_1', `one step below the highest valid value (${add(max, -step)})`, add(max, -step)),
        c(
          'max',
          explicit.maxExclusive
            ? `just below exclusive maximum ${explicit.max} (${max})`
            : max === explicit.max
              ? `at maximum ${max}`
              : `at ${max}, the highest valid value`,
          max,
        ),
      );
    }
  }
  return out;
}

function multipleClasses(r: NumericRange): InputClass[] {
  const m = r.multipleOf;
  if (m === undefined) return [];
  // Small multiples near zero, on both sides; the range check drops those outside.
  return [
    c('multiple_1', `the divisor itself (${multipleAt(1, m)})`, multipleAt(1, m)),
    c('multiple_2', `twice the divisor (${multipleAt(2, m)})`, multipleAt(2, m)),
    c('multiple_minus_1', `minus the divisor (${multipleAt(-1, m)})`, multipleAt(-1, m)),
  ];
}

/**
 * Number classes in priority order: range edges first (they decide most branches), then landmarks and
 * magnitudes. Values outside the range or off the `multipleOf` grid are left out here already.
 */
export function numberClasses(flat: JsonSchemaObject, integer: boolean): InputClass[] {
  const r = numericRange(flat, integer);
  const candidates: InputClass[] = [
    ...edgeClasses(flat, r),
    c('zero', 'zero', 0),
    c('one', 'one', 1),
    c('minus_one', 'minus one', -1),
    c('two', 'two', 2),
    ...multipleClasses(r),
    ...(integer
      ? [c('small', 'a small value (7)', 7), c('large', 'a large value (1000000)', 1_000_000)]
      : [
          c('fraction', 'a fraction (0.5)', 0.5),
          c('small', 'a small magnitude (0.001)', 0.001),
          c('large', 'a large magnitude (1000000.5)', 1_000_000.5),
          c('negative_fraction', 'a negative fraction (-2.5)', -2.5),
        ]),
    c('large_negative', 'a large negative value (-1000000)', -1_000_000),
  ];
  return candidates.filter((k) => inRange(k.value as number, r));
}

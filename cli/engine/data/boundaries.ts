/**
 * Boundary values: valid values at the edges of numeric ranges, string lengths and array sizes.
 * Labels have no subject (`at maximum 50`): callers prefix the parameter or property name.
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { conforms } from './check.ts';
import type { GenState } from './context.ts';
import { deriveState, initialState, type SynthContext } from './context.ts';
import { arrayMax, generateItems } from './generate.ts';
import { stringOfLength } from './generate-string.ts';
import { deepEqual } from './json.ts';
import { decimals, edgeValue, type NumericRange, numericRange } from './numbers.ts';
import { primaryType, scalarView } from './scalar-view.ts';

/** One boundary value and what it is. */
export interface Boundary {
  label: string;
  value: unknown;
}

/** Longest string (and largest array) produced for a boundary; longer limits are skipped. */
export const MAX_BOUNDARY_LENGTH = 4096;
const MAX_BOUNDARY_ITEMS = 100;

function numberBoundaries(flat: JsonSchemaObject, integer: boolean): Boundary[] {
  const r: NumericRange = numericRange(flat, integer);
  const out: Boundary[] = [];
  const explicit = numericRange({ ...flat, format: undefined }, integer);
  const labelFor = (edge: 'min' | 'max', v: number): string => {
    const bound = edge === 'min' ? explicit.min : explicit.max;
    const exclusive = edge === 'min' ? explicit.minExclusive : explicit.maxExclusive;
    const word = edge === 'min' ? 'minimum' : 'maximum';
    if (exclusive) return `just ${edge === 'min' ? 'above' : 'below'} exclusive ${word} ${bound} (${v})`;
    return v === bound
      ? `at ${word} ${bound}`
      : `at ${v}, the ${edge === 'min' ? 'lowest' : 'highest'} valid value`;
  };
  for (const edge of ['min', 'max'] as const) {
    const bound = edge === 'min' ? explicit.min : explicit.max;
    if (bound === undefined) continue;
    const step = r.multipleOf ?? 10 ** -Math.max(2, decimals(bound));
    const v = edgeValue(r, edge, step);
    if (v !== undefined) out.push({ label: labelFor(edge, v), value: v });
  }
  return out;
}

function stringBoundaries(flat: JsonSchemaObject, st: GenState): Boundary[] {
  const out: Boundary[] = [];
  const edges: Array<[string, number | undefined]> = [
    ['minLength', flat.minLength],
    ['maxLength', flat.maxLength],
  ];
  for (const [keyword, length] of edges) {
    if (length === undefined || length < 1 || length > MAX_BOUNDARY_LENGTH) continue;
    const value = stringOfLength(flat, length, st.rng.fork(keyword), st.hint);
    if (value !== undefined) out.push({ label: `at ${keyword} ${length}`, value });
  }
  return out;
}

function arrayBoundaries(flat: JsonSchemaObject, st: GenState): Boundary[] {
  const out: Boundary[] = [];
  const max = arrayMax(flat);
  const edges: Array<[string, number | undefined]> = [
    ['minItems', flat.minItems],
    ['maxItems', Number.isFinite(max) ? max : undefined],
  ];
  for (const [keyword, count] of edges) {
    if (count === undefined || count < 1 || count > MAX_BOUNDARY_ITEMS) continue;
    const value = generateItems(flat, deriveState(st, st.hint, { rng: st.rng.fork(keyword) }), {
      count,
      min: count,
    });
    if (value.length === count) out.push({ label: `at ${keyword} ${count}`, value });
  }
  return out;
}

/**
 * Valid values at the schema's edges: numbers at (or just inside) their bounds, strings of exactly
 * minLength and maxLength (still matching pattern and format), arrays of minItems and maxItems.
 * Object, enum, const and composed schemas have none. Every value returned validates.
 */
export function synthesizeBoundaries(schema: JsonSchema, ctx: SynthContext): Boundary[] {
  const flat = scalarView(schema, ctx.schemas);
  if (!flat || flat.const !== undefined || Array.isArray(flat.enum)) return [];
  const st = initialState(ctx);
  const type = primaryType(flat);
  let candidates: Boundary[] = [];
  if (type === 'integer' || type === 'number') candidates = numberBoundaries(flat, type === 'integer');
  else if (type === 'string') candidates = stringBoundaries(flat, st);
  else if (type === 'array') candidates = arrayBoundaries(flat, st);
  const out: Boundary[] = [];
  for (const candidate of candidates) {
    if (out.some((b) => deepEqual(b.value, candidate.value))) continue;
    if (conforms(schema, candidate.value, st.env)) out.push(candidate);
  }
  return out;
}

/**
 * Equal-value combinations: code compares its inputs (`a === b`, `a < b < c`), and branches on those
 * comparisons are reached only when inputs of the same type share or order their values on purpose. For each
 * group of number or string inputs: all equal (a = b = c), each two equal with the others different, and
 * strictly ascending and descending values. A value is used for an input only when the input accepts it.
 */
import { type InputClass, show, slug } from './class-keys.ts';
import { deepEqual } from './json.ts';

/** One input, as {@link equalValueRows} sees it. */
export interface EqualFactor {
  name: string;
  /** The input's levels (null = absent). */
  levels: ReadonlyArray<InputClass | null>;
  /** Whether a value valid for another input is valid for this one; without it only shared classes are used. */
  accepts?: (value: unknown) => boolean;
}

/** An equal-value combination: kind, content-derived key, label, and one level per factor. */
export interface EqualRow {
  kind: 'equal' | 'ascending' | 'descending';
  key: string;
  label: string;
  picks: Array<InputClass | null>;
}

/** Inputs of one group compared pairwise (`a = b` with the others different) at most. */
const MAX_PAIRED = 4;

function typeOf(factor: EqualFactor): 'number' | 'string' | undefined {
  const value = factor.levels.find((l) => l !== null)?.value;
  return typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : undefined;
}

function fits(factor: EqualFactor, value: unknown): boolean {
  return (
    factor.levels.some((l) => l !== null && deepEqual(l.value, value)) || (factor.accepts?.(value) ?? false)
  );
}

/** The factor's own class with this value, else a class made for it. */
function classFor(factor: EqualFactor, value: unknown, key: string): InputClass {
  const own = factor.levels.find((l) => l !== null && deepEqual(l.value, value));
  return own ?? { key: `shared_${key}`, label: `the value the other inputs have ${show(value)}`, value };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

interface Shared {
  value: unknown;
  key: string;
}

/** Values every factor of the group accepts, in order of first appearance, with the key of their first class. */
function sharedValues(group: readonly EqualFactor[]): Shared[] {
  const out: Shared[] = [];
  for (const factor of group) {
    for (const level of factor.levels) {
      if (level === null || out.some((s) => deepEqual(s.value, level.value))) continue;
      if (group.every((f) => fits(f, level.value))) out.push({ value: level.value, key: level.key });
    }
  }
  return out;
}

/**
 * Equal-value rows for `factors` built on `base` (one level per factor, the baseline). `values` distinct
 * shared values are tried for "all equal"; groups are factors of one type (numbers, strings).
 */
export function equalValueRows(
  factors: readonly EqualFactor[],
  base: ReadonlyArray<InputClass | null>,
  values: number,
): EqualRow[] {
  if (values < 1) return [];
  const out: EqualRow[] = [];
  for (const type of ['number', 'string'] as const) {
    const members = factors.map((f, i) => ({ f, i })).filter(({ f }) => typeOf(f) === type);
    if (members.length < 2) continue;
    const group = members.map((m) => m.f);
    const names = group.map((f) => slug(f.name)).join('_');
    const shared = sharedValues(group);
    for (const s of shared.slice(0, values)) {
      const picks = [...base];
      for (const { f, i } of members) picks[i] = classFor(f, s.value, s.key);
      out.push({
        kind: 'equal',
        key: `equal_${names}_${s.key}`,
        label: `${group.map((f) => f.name).join(' = ')} = ${show(s.value)}`,
        picks,
      });
    }
    const first = shared[0];
    if (first && members.length >= 3) out.push(...pairRows(members.slice(0, MAX_PAIRED), base, first));
    if (members.length >= 4) out.push(...twoPairRows(members.slice(0, 4), base, shared));
    out.push(...orderedRows(members, base, shared, names));
  }
  return out;
}

/**
 * The input's class closest to `value` without being equal to it (numbers by distance, else the first):
 * "a = b, c different" keeps c near a and b, as in an isosceles triangle rather than an impossible one.
 */
function nearestOther(factor: EqualFactor, value: unknown): InputClass | undefined {
  let best: InputClass | undefined;
  for (const level of factor.levels) {
    if (level === null || deepEqual(level.value, value)) continue;
    if (typeof value !== 'number' || typeof level.value !== 'number') return best ?? level;
    if (!best || Math.abs(level.value - value) < Math.abs((best.value as number) - value)) best = level;
  }
  return best;
}

/** `a = b` with the other inputs of the group at a different value. */
function pairRows(
  members: ReadonlyArray<{ f: EqualFactor; i: number }>,
  base: ReadonlyArray<InputClass | null>,
  s: Shared,
): EqualRow[] {
  const out: EqualRow[] = [];
  for (let x = 0; x < members.length; x++) {
    for (let y = x + 1; y < members.length; y++) {
      const a = members[x] as { f: EqualFactor; i: number };
      const b = members[y] as { f: EqualFactor; i: number };
      const picks = [...base];
      picks[a.i] = classFor(a.f, s.value, s.key);
      picks[b.i] = classFor(b.f, s.value, s.key);
      let ok = true;
      for (const other of members) {
        if (other === a || other === b) continue;
        const level = nearestOther(other.f, s.value);
        if (level === undefined) ok = false;
        else picks[other.i] = level;
      }
      if (!ok) continue;
      out.push({
        kind: 'equal',
        key: `equal_${slug(a.f.name)}_${slug(b.f.name)}_${s.key}`,
        label: `${a.f.name} = ${b.f.name} = ${show(s.value)}, the others different`,
        picks,
      });
    }
  }
  return out;
}

/**
 * Two pairs equal at two different values, for the first four inputs: `a = b, c = d`, `a = c, b = d`,
 * `a = d, b = c` (the sides of a kite, a parallelogram; matching pairs of anything).
 */
function twoPairRows(
  members: ReadonlyArray<{ f: EqualFactor; i: number }>,
  base: ReadonlyArray<InputClass | null>,
  shared: readonly Shared[],
): EqualRow[] {
  const first = shared[0];
  const second = first === undefined ? undefined : nearestShared(shared, first);
  if (!first || !second) return [];
  const out: EqualRow[] = [];
  for (const [x, y, z, w] of [
    [0, 1, 2, 3],
    [0, 2, 1, 3],
    [0, 3, 1, 2],
  ] as const) {
    const pick = members as ReadonlyArray<{ f: EqualFactor; i: number }>;
    const [a, b, c, d] = [pick[x], pick[y], pick[z], pick[w]] as Array<{ f: EqualFactor; i: number }>;
    const picks = [...base];
    for (const m of [a, b] as Array<{ f: EqualFactor; i: number }>)
      picks[m.i] = classFor(m.f, first.value, first.key);
    for (const m of [c, d] as Array<{ f: EqualFactor; i: number }>)
      picks[m.i] = classFor(m.f, second.value, second.key);
    const names = (m: { f: EqualFactor }): string => slug(m.f.name);
    out.push({
      kind: 'equal',
      key: `equal_${names(a!)}_${names(b!)}_and_${names(c!)}_${names(d!)}`,
      label: `${a!.f.name} = ${b!.f.name} = ${show(first.value)}, ${c!.f.name} = ${d!.f.name} = ${show(second.value)}`,
      picks,
    });
  }
  return out;
}

/** The shared value closest to `to` (numbers by distance, else the next one). */
function nearestShared(shared: readonly Shared[], to: Shared): Shared | undefined {
  const others = shared.filter((s) => s !== to);
  if (typeof to.value !== 'number') return others[0];
  let best: Shared | undefined;
  for (const s of others) {
    if (typeof s.value !== 'number') continue;
    if (!best || Math.abs(s.value - to.value) < Math.abs((best.value as number) - to.value)) best = s;
  }
  return best;
}

/** Strictly ascending and descending values, taken from the middle of the sorted shared values. */
function orderedRows(
  members: ReadonlyArray<{ f: EqualFactor; i: number }>,
  base: ReadonlyArray<InputClass | null>,
  shared: readonly Shared[],
  names: string,
): EqualRow[] {
  const n = members.length;
  const sorted = [...shared].sort((a, b) => compare(a.value, b.value));
  if (sorted.length < n) return [];
  const start = Math.max(0, Math.min(sorted.length - n, Math.floor((sorted.length - n) / 2)));
  const window = sorted.slice(start, start + n);
  const out: EqualRow[] = [];
  for (const kind of ['ascending', 'descending'] as const) {
    const values = kind === 'ascending' ? window : [...window].reverse();
    const picks = [...base];
    members.forEach(({ f, i }, k) => {
      const s = values[k] as Shared;
      picks[i] = classFor(f, s.value, s.key);
    });
    out.push({
      kind,
      key: `${kind}_${names}`,
      label: `${members.map((m) => m.f.name).join(kind === 'ascending' ? ' < ' : ' > ')} (${values.map((v) => show(v.value)).join(', ')})`,
      picks,
    });
  }
  return out;
}

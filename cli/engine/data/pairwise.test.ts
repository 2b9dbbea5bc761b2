import { describe, expect, it } from 'vitest';
import type { InputClass } from './class-keys.ts';
import { coveringRows } from './covering-array.ts';
import { type Combination, combine, type Factor } from './pairwise.ts';
import { createRng } from './rng.ts';

const cls = (key: string, value: unknown): InputClass => ({ key, label: key, value });

/** A factor with `n` classes whose values are `<name>0`, `<name>1`, … */
function factor(name: string, n: number, extra: Partial<Factor> = {}): Factor {
  return { name, classes: Array.from({ length: n }, (_, i) => cls(`c${i}`, `${name}${i}`)), ...extra };
}

const numbers = (name: string, values: number[], extra: Partial<Factor> = {}): Factor => ({
  name,
  classes: values.map((v) => cls(`v${v}`, v)),
  ...extra,
});

const UNLIMITED = { maxCombinations: Number.POSITIVE_INFINITY };

/** The pairs (factor i level x, factor j level y) that `factors` make, as strings. */
function allPairs(factors: Factor[], paired = Number.POSITIVE_INFINITY): Set<string> {
  const levels = factors.map((f) => {
    const room = f.optional ? paired - 1 : paired;
    const keys = f.classes.slice(0, Math.max(1, room)).map((c) => c.key);
    return f.optional ? [...keys, 'absent'] : keys;
  });
  const out = new Set<string>();
  for (let i = 0; i < factors.length; i++)
    for (let j = i + 1; j < factors.length; j++)
      for (const a of levels[i]!) for (const b of levels[j]!) out.add(`${i}:${a}|${j}:${b}`);
  return out;
}

function coveredPairs(combos: Combination[]): Set<string> {
  const out = new Set<string>();
  for (const c of combos) {
    const keys = c.picks.map((p) => (p === null ? 'absent' : p.key));
    for (let i = 0; i < keys.length; i++)
      for (let j = i + 1; j < keys.length; j++) out.add(`${i}:${keys[i]}|${j}:${keys[j]}`);
  }
  return out;
}

describe('combine: all pairs (property test)', () => {
  it('covers every pair of classes across factors, for 60 random shapes', () => {
    const shapes = createRng('shapes');
    for (let trial = 0; trial < 60; trial++) {
      const count = shapes.int(2, 9);
      const factors = Array.from({ length: count }, (_, i) =>
        factor(`f${i}`, shapes.int(1, 7), { optional: shapes.next() < 0.3, absentByDefault: shapes.bool() }),
      );
      const combos = combine(factors, { rng: createRng(trial), depth: 'deep', limits: UNLIMITED });
      const missing = [...allPairs(factors)].filter((p) => !coveredPairs(combos).has(p));
      expect(missing, `trial ${trial}`).toEqual([]);
    }
  });

  it('standard: every pair of the first 6 classes, and every later class at least once', () => {
    const factors = [factor('a', 11), factor('b', 9), factor('c', 3, { optional: true })];
    const combos = combine(factors, { rng: createRng(1), depth: 'standard' });
    const missing = [...allPairs(factors, 6)].filter((p) => !coveredPairs(combos).has(p));
    expect(missing).toEqual([]);
    for (const [i, f] of factors.entries())
      for (const c of f.classes)
        expect(
          combos.some((k) => k.picks[i] === c),
          `${f.name} ${c.key}`,
        ).toBe(true);
    expect(combos.filter((c) => c.kind === 'each').length).toBe(5);
  });

  it('a single input: every class once, at standard and deep', () => {
    for (const depth of ['standard', 'deep'] as const) {
      const combos = combine([factor('only', 12)], { rng: createRng(1), depth });
      expect(combos.map((c) => c.picks[0]?.key).sort(), depth).toEqual(
        Array.from({ length: 12 }, (_, i) => `c${i}`).sort(),
      );
    }
  });

  it('deep with at most four factors covers every triple when they fit', () => {
    const factors = [factor('a', 3), factor('b', 3), factor('c', 4)];
    const combos = combine(factors, { rng: createRng(2), depth: 'deep' });
    const triples = new Set(combos.map((c) => c.picks.map((p) => p?.key).join('|')));
    for (const a of factors[0]!.classes)
      for (const b of factors[1]!.classes)
        for (const c of factors[2]!.classes) expect(triples.has(`${a.key}|${b.key}|${c.key}`)).toBe(true);
  });

  it('the greedy covering array stays small (3^4 pairs in at most 11 rows; 8 × 8 in at most 70)', () => {
    expect(
      coveringRows({ levels: [3, 3, 3, 3], strength: 2, seed: [], rng: createRng(1), limit: 99 }).length,
    ).toBeLessThanOrEqual(11);
    expect(
      coveringRows({ levels: [8, 8, 8], strength: 2, seed: [], rng: createRng(1), limit: 999 }).length,
    ).toBeLessThanOrEqual(70);
  });
});

describe('combine: baseline, sizes and keys', () => {
  it('quick is exactly one combination: each factor at its first class, optional ones absent when asked', () => {
    const factors = [
      factor('a', 5),
      factor('b', 3, { optional: true, absentByDefault: true }),
      factor('c', 2, { optional: true }),
    ];
    const combos = combine(factors, { rng: createRng(1), depth: 'quick' });
    expect(combos).toHaveLength(1);
    expect(combos[0]!.kind).toBe('baseline');
    expect(combos[0]!.picks.map((p) => p?.value ?? null)).toEqual(['a0', null, 'c0']);
    // The baseline opens every depth.
    expect(combine(factors, { rng: createRng(1), depth: 'deep' })[0]).toEqual(combos[0]);
  });

  it('keeps to the per-operation limit, growing with the inputs up to it', () => {
    const sizes = [2, 4, 8, 16, 32].map(
      (n) =>
        combine(
          Array.from({ length: n }, (_, i) => factor(`f${i}`, 6)),
          { rng: createRng(1), depth: 'standard' },
        ).length,
    );
    for (const size of sizes) expect(size).toBeLessThanOrEqual(48);
    expect(sizes[0]).toBeGreaterThanOrEqual(36);
    expect(combine([], { rng: createRng(1), depth: 'deep' })).toHaveLength(1);
  });

  it('keys are unique and content-derived: they name the classes that differ from the baseline', () => {
    const combos = combine([factor('a', 4), factor('b', 4), factor('c', 2)], {
      rng: createRng(3),
      depth: 'standard',
    });
    expect(new Set(combos.map((c) => c.key)).size).toBe(combos.length);
    for (const c of combos.filter((k) => k.kind === 'pairwise')) {
      const expected = c.picks
        .map((p, i) =>
          p === combos[0]!.picks[i] ? undefined : `${['a', 'b', 'c'][i]}-${p?.key ?? 'absent'}`,
        )
        .filter((part) => part !== undefined)
        .join('__');
      expect(c.key).toBe(expected);
    }
  });

  it('is deterministic, and one operation is independent of another', () => {
    const root = createRng(7);
    const opA = [factor('a', 5), factor('b', 6)];
    const first = combine(opA, { rng: root.fork('opA'), depth: 'standard' });
    // Planning another operation (with more factors) in between changes nothing for opA.
    combine([...opA, factor('x', 9)], { rng: root.fork('opB'), depth: 'standard' });
    expect(combine(opA, { rng: createRng(7).fork('opA'), depth: 'standard' })).toEqual(first);
  });
});

describe('combine: equal-value combinations', () => {
  const positive = (v: unknown): boolean => typeof v === 'number' && v > 0;
  const sides = [
    numbers('a', [3, 1, 2, 5, 100], { accepts: positive }),
    numbers('b', [4, 1, 2, 5, 100], { accepts: positive }),
    numbers('c', [6, 1, 2, 5, 100], { accepts: positive }),
  ];

  it('a = b = c, each two equal with the third different, ascending and descending', () => {
    const combos = combine(sides, { rng: createRng(1), depth: 'standard' });
    const byKey = new Map(combos.map((c) => [c.key, c.picks.map((p) => p?.value)]));
    expect(byKey.get('equal_a_b_c_v3')).toEqual([3, 3, 3]);
    expect(byKey.get('equal_a_b_c_v1')).toEqual([1, 1, 1]);
    // The third side takes its class nearest to the shared value (an isosceles triangle, not an impossible one).
    expect(byKey.get('equal_a_b_v3')).toEqual([3, 3, 2]);
    expect(byKey.get('equal_a_c_v3')).toEqual([3, 4, 3]);
    expect(byKey.get('equal_b_c_v3')).toEqual([2, 3, 3]);
    // The middle three of the shared values 1 2 3 4 5 6 100, in order.
    expect(byKey.get('ascending_a_b_c')).toEqual([3, 4, 5]);
    expect(byKey.get('descending_a_b_c')).toEqual([5, 4, 3]);
    const kinds = combos.map((c) => c.kind);
    expect(kinds.indexOf('equal')).toBe(1);
  });

  it('two pairs equal at two values, for four inputs of one type', () => {
    const positive = (v: unknown): boolean => typeof v === 'number' && v > 0;
    const quad = ['a', 'b', 'c', 'd'].map((n, i) => numbers(n, [10 + i, 1, 7], { accepts: positive }));
    const byKey = new Map(
      combine(quad, { rng: createRng(1), depth: 'standard' }).map((c) => [
        c.key,
        c.picks.map((p) => p?.value),
      ]),
    );
    // The first shared value (10) and the one nearest to it (11).
    expect(byKey.get('equal_a_b_and_c_d')).toEqual([10, 10, 11, 11]);
    expect(byKey.get('equal_a_c_and_b_d')).toEqual([10, 11, 10, 11]);
    expect(byKey.get('equal_a_d_and_b_c')).toEqual([10, 11, 11, 10]);
  });

  it('uses a value for an input only when the input accepts it', () => {
    const small = numbers('a', [1, 2], { accepts: (v) => typeof v === 'number' && v <= 2 });
    const big = numbers('b', [50, 60], { accepts: (v) => typeof v === 'number' && v >= 1 });
    const combos = combine([small, big], { rng: createRng(1), depth: 'standard' });
    const equal = combos.filter((c) => c.kind === 'equal');
    expect(equal.map((c) => c.picks.map((p) => p?.value))).toEqual([
      [1, 1],
      [2, 2],
    ]);
    // b had no class 1: one is made for it, keyed by the shared class.
    expect(equal[0]!.picks[1]!.key).toBe('shared_v1');
    // 50 and 60 are not valid for a, so the ordered pair comes from the shared 1 and 2.
    expect(combos.find((c) => c.kind === 'ascending')?.picks.map((p) => p?.value)).toEqual([1, 2]);
  });

  it('only for inputs of the same type; nothing shared, nothing made', () => {
    const combos = combine([numbers('n', [1, 2]), factor('s', 3), factor('t', 3)], {
      rng: createRng(1),
      depth: 'standard',
    });
    // Strings s0… and t0… share no value and have no accepts: no equal rows, but ordering needs shared values too.
    expect(combos.filter((c) => c.kind !== 'pairwise' && c.kind !== 'baseline')).toEqual([]);
  });
});
